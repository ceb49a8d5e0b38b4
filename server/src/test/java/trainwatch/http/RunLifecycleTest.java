package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Child trainers: queued beyond --max-parallel, stopped on request, and 'interrupted' when killed; the server keeps answering. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class RunLifecycleTest {
    private static final String LONG_RUN = "{\"dataset\":\"spiral\",\"epochs\":100000,\"evalEvery\":100}";

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();

    private static long step(String id) {
        return fixture.api.get("/api/runs/" + id).json().get("progress").get("step").asLong();
    }

    /** A test that failed half-way leaves no trainer behind to hold --max-parallel's only slot for the next one. */
    @AfterEach
    void stop_what_is_left() {
        for (var run : fixture.api.get("/api/runs?limit=1000").json().get("runs")) {
            String id = run.get("id").asText();
            String status = run.get("status").asText();
            if (status.equals("queued") || status.equals("running")) fixture.api.post("/api/runs/" + id + "/stop", "");
        }
        Api.await("no run left active", Duration.ofSeconds(60), () -> {
            for (var run : fixture.api.get("/api/runs?limit=1000").json().get("runs")) {
                String status = run.get("status").asText();
                if (status.equals("queued") || status.equals("running")) return false;
            }
            return true;
        });
    }

    @Test
    void a_trainer_killed_with_sigkill_reads_interrupted_within_10_s_and_the_server_still_answers() {
        String id = fixture.api.createRun(LONG_RUN);
        Api.await("training", Duration.ofSeconds(120), () -> fixture.api.status(id).equals("running") && step(id) > 10);
        long pid = fixture.server.supervisor.childPid(id);
        assertTrue(pid > 0);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: no chance to write a final status
        long killed = System.nanoTime();
        Api.await("interrupted", Duration.ofSeconds(10), () -> fixture.api.status(id).equals("interrupted"));
        assertTrue(System.nanoTime() - killed < Duration.ofSeconds(10).toNanos());
        assertTrue(fixture.api.get("/api/runs/" + id).json().get("reason").asText().contains("without a final status"));
        assertEquals(200, fixture.api.get("/api/runs").status());
        assertEquals(200, fixture.api.delete("/api/runs/" + id).status(), "an interrupted run can be deleted");
    }

    @Test
    void a_second_run_waits_queued_then_stop_ends_both_and_running_runs_cannot_be_deleted() {
        String first = fixture.api.createRun(LONG_RUN);
        String second = fixture.api.createRun(LONG_RUN);
        Api.await("first training", Duration.ofSeconds(120), () -> fixture.api.status(first).equals("running"));
        assertEquals("queued", fixture.api.status(second), "--max-parallel 1 keeps the second one waiting");
        assertConflict("run " + first + " is running: stop it before deleting it", fixture.api.delete("/api/runs/" + first));
        assertConflict("run " + second + " is queued: stop it before deleting it", fixture.api.delete("/api/runs/" + second));

        assertEquals(202, fixture.api.post("/api/runs/" + second + "/stop", "").status());
        assertEquals("stopped", fixture.api.status(second));
        assertEquals(202, fixture.api.post("/api/runs/" + first + "/stop", "").status());
        Api.await("first stopped", Duration.ofSeconds(60), () -> fixture.api.status(first).equals("stopped"));
        assertConflict("run " + first + " is not running (status stopped)", fixture.api.post("/api/runs/" + first + "/stop", "")); // nothing left to stop
        assertEquals(200, fixture.api.delete("/api/runs/" + first).status());
        assertEquals(200, fixture.api.delete("/api/runs/" + second).status());
    }

    /** A 409 is the run's state refusing, said in words (never a disguised server fault). */
    private static void assertConflict(String message, Api.Res r) {
        assertEquals(409, r.status(), r.body());
        assertEquals(message, r.json().get("error").asText(), r.body());
    }
}
