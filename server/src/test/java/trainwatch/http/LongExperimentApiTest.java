package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.live.LiveLimits;
import trainwatch.json.Json;
import trainwatch.store.CheckFiles;

/**
 * Issue 16 points 5, 7, 11 and 12 over HTTP with real trainers: disk use per run and of runs/, a stopped run resumed
 * through POST /api/runs/{id}/resume ends with every step once, a killed check is pushed live as failed, and a full
 * disk refuses a new run with 507.
 */
class LongExperimentApiTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();

    static final String SPIRAL = "{\"dataset\":\"spiral\",\"model\":{\"type\":\"mlp\",\"hidden\":[16]},\"batchSize\":30,"
            + "\"epochs\":100000,\"maxIterations\":1500,\"evalEvery\":50}";

    @TempDir
    Path tmp;

    @Test
    void a_stopped_run_resumed_over_the_api_ends_with_every_step_once_and_its_page_data_says_where() {
        Api api = fixture.api;
        String id = api.createRun(SPIRAL);
        Api.await("some steps", Duration.ofSeconds(120), () -> api.get("/api/runs/" + id).json().get("progress").get("step").asLong() > 100);
        assertEquals(202, api.post("/api/runs/" + id + "/stop", "").status());
        Api.await("stopped", Duration.ofSeconds(120), () -> api.status(id).equals("stopped"));
        assertTrue(fixture.server.supervisor.awaitGone(id, 60_000));

        JsonNode before = api.get("/api/runs/" + id).json();
        long stoppedAt = before.get("progress").get("step").asLong();
        assertTrue(before.get("disk_bytes").asLong() > 0, "disk use of the run: " + before);

        Api.Res r = api.post("/api/runs/" + id + "/resume", "");
        assertEquals(202, r.status(), r.body());
        Api.await("finished", Duration.ofSeconds(180), () -> api.status(id).equals("finished"));

        JsonNode d = api.get("/api/runs/" + id).json();
        assertEquals(1, d.get("resumed_at").size(), d.toString());
        assertEquals(stoppedAt + 1, d.get("resumed_at").get(0).asLong(), "resumed at the step after the last recorded one (final.zip of the stop)");
        JsonNode s = api.get("/api/runs/" + id + "/scalars?tag=loss&points=100000").json();
        List<Long> steps = new ArrayList<>();
        s.get("step").forEach(n -> steps.add(n.asLong()));
        Steps.assertExactly(0, 1500, steps, "loss after a stop and a resume");

        Api.Res again = api.post("/api/runs/" + id + "/resume", "");
        assertEquals(409, again.status(), "a finished run cannot be resumed");
        assertTrue(again.body().contains("only an interrupted or stopped run can be resumed"), again.body());
    }

    @Test
    void the_disk_route_reports_runs_bytes_and_free_space() {
        JsonNode disk = fixture.api.get("/api/disk").json();
        assertTrue(disk.get("runs_bytes").asLong() >= 0, disk.toString());
        assertTrue(disk.get("free_bytes").asLong() > 0, disk.toString());
        assertTrue(disk.get("total_bytes").asLong() >= disk.get("free_bytes").asLong(), disk.toString());
        assertTrue(disk.has("low"), disk.toString());
    }

    @Test
    void a_check_process_killed_mid_check_is_pushed_live_as_failed() throws Exception {
        Process check = new ProcessBuilder("sleep", "120").start(); // stands in for a check process: ours to kill
        try {
            String id = fixture.server.store.newId();
            fixture.server.store.create(id, "{\"name\":\"killed-check\",\"dataset\":\"spiral\"}", RunStatus.FINISHED, "");
            CheckFiles.write(fixture.server.store.dir(id), new CheckResult(-1, System.currentTimeMillis(), "overfit", "running",
                    "the overfit check is running", "{\"pid\":" + check.pid() + ",\"startedMs\":1}"));
            WsProbe live = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live", true);
            Api.await("hello", Duration.ofSeconds(30), () -> !live.ofType("hello").isEmpty());
            check.destroyForcibly();
            check.waitFor(30, TimeUnit.SECONDS);
            Api.await("a live check message saying fail", Duration.ofSeconds(30),
                    () -> live.ofType("check").stream().anyMatch(m -> m.path("outcome").asText().equals("fail")));
            live.abort();
        } finally {
            check.destroyForcibly();
        }
    }

    @Test
    void on_a_full_disk_a_new_run_is_refused_with_507_naming_the_bytes_left() throws Exception {
        try (TrainwatchServer server = new TrainwatchServer(new TrainwatchServer.Options("127.0.0.1", 0, tmp.resolve("runs"), 1, null, null,
                null, LiveLimits.DEFAULT, 10_000, List.of())).start()) {
            server.runs.useDiskProbe(dir -> 1L << 20);
            // a plain client: a 507 is the expected answer here, not a fault the shared 5xx guard should count
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/runs")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"dataset\":\"spiral\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(507, r.statusCode(), r.body());
            String error = Json.tree(r.body()).get("error").asText();
            assertTrue(error.startsWith("disk full: 1048576 bytes free under runs/"), error);
            assertEquals(List.of(), server.store.ids(), "nothing was created");
        }
    }
}
