package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.testkit.ServerProcess;

/** kill -9 of a real server process while its run trains: the trainer lives on, a new server re-attaches, the history has no hole. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class ServerRestartTest {
    @TempDir
    Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    /** `trainwatch.Main serve --port 0 --runs DIR --max-parallel 1` as a child process, returning the port it printed. */
    private int startServer() throws Exception {
        ServerProcess s = new ServerProcess(dir.resolve("runs"), "--max-parallel", "1");
        servers.add(s);
        return s.start().port();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : servers) s.close(); // the servers and every trainer they started, nothing else
        Api.assertNo5xx();
    }

    @Test
    void after_kill_9_of_the_server_a_restart_finds_the_run_still_training_with_no_hole_in_its_history() throws Exception {
        Api api = new Api(startServer());
        String id = api.createRun("{\"dataset\":\"spiral\",\"epochs\":100000,\"evalEvery\":100}");
        Api.await("training", Duration.ofSeconds(120), () -> api.status(id).equals("running")
                && api.get("/api/runs/" + id).json().get("progress").get("step").asLong() > 50);
        long trainerPid = api.get("/api/runs/" + id).json().get("pid").asLong();

        servers.get(0).kill(); // SIGKILL: no shutdown hook runs
        assertTrue(ProcessHandle.of(trainerPid).map(ProcessHandle::isAlive).orElse(false), "the trainer outlived its server");

        Api again = new Api(startServer());
        JsonNode d = again.get("/api/runs/" + id).json();
        assertEquals("running", d.get("status").asText(), "re-attached, not interrupted: " + d.get("reason"));
        long stepAtRestart = d.get("progress").get("step").asLong();
        WsProbe live = WsProbe.open(again.base, "/api/runs/" + id + "/live", true);
        Api.await("live points after the restart", Duration.ofSeconds(60), () -> !live.steps("loss").isEmpty());
        assertTrue(live.steps("loss").get(0) >= stepAtRestart, "the stream continues from where the run is");
        live.abort();

        assertEquals(202, again.post("/api/runs/" + id + "/stop", "").status());
        Api.await("stopped", Duration.ofSeconds(60), () -> again.status(id).equals("stopped"));
        JsonNode s = again.get("/api/runs/" + id + "/scalars?tag=loss&points=100000").json();
        long total = s.get("total").asLong();
        assertTrue(total > stepAtRestart, "it kept training across the restart");
        List<Long> steps = new ArrayList<>();
        s.get("step").forEach(n -> steps.add(n.asLong()));
        Steps.assertExactly(0, total, steps, "stored history");
    }
}
