package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.checkpoint.Retention;
import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;
import trainwatch.store.Resumed;
import trainwatch.store.RunReader;

/**
 * A real trainer elsewhere (`train --remote URL --run ID`, what a Kubernetes Job runs) sends its checkpoints to the
 * server as it writes them; stopped, the run is resumed by another trainer with an empty disk (another pod) that
 * fetches the newest checkpoint from the server and continues: steps go on from the checkpoint's step, each step
 * is stored once, the resume is marked, and the run ends with the losses of an uninterrupted run of the same seed
 * (weights, updater state, data order and RNG came back through HTTP).
 */
@Timeout(600)
class RemoteResumeTest {
    static final String CONFIG = "{\"name\": \"remote-resume\", \"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]},"
            + " \"batchSize\": 30, \"epochs\": 6, \"evalEvery\": 5, \"seed\": 11}";

    @TempDir
    Path tmp;
    TrainwatchServer server;
    String url;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(0).withRuns(tmp.resolve("runs")).withMaxParallel(1)).start();
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        assertEquals(0, server.stats.count(500, 600), "no 5xx");
        assertEquals(0, server.stats.internalErrors());
    }

    String[] created() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/ingest/runs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"remote-resume\", \"config\": " + CONFIG + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new String[] {Json.tree(r.body()).get("id").asText(), Json.tree(r.body()).get("key").asText()};
    }

    int train(String id, String key, Path pod, BooleanSupplier stop, String resumeFrom) throws Exception {
        Map<String, String> env = resumeFrom == null ? Map.of(RemoteTrain.KEY_ENV, key, RemoteTrain.CONFIG_ENV, CONFIG)
                : Map.of(RemoteTrain.KEY_ENV, key, RemoteTrain.CONFIG_ENV, CONFIG, RemoteTrain.RESUME_ENV, resumeFrom);
        return new RemoteTrain(TrainCommand.REAL, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                tmp.resolve("data"), stop, env).run(TrainArgs.parse(new String[] {"--remote", url, "--run", id, "--runs", pod.toString()}));
    }

    JsonNode loss(String id) throws Exception {
        return Json.tree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/runs/" + id + "/scalars?tag=loss&points=100000")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void a_stopped_remote_run_resumes_in_another_pod_from_the_checkpoint_it_sent() throws Exception {
        String[] ref = created();
        assertEquals(0, train(ref[0], ref[1], tmp.resolve("pod0"), () -> false, null), out + " / " + err);

        String[] run = created();
        String id = run[0];
        Path pod1 = tmp.resolve("pod1");
        Path firstEpoch = pod1.resolve(id).resolve("checkpoints").resolve("epoch-0001.zip");
        assertEquals(StopSignal.EXIT_STOPPED, train(id, run[1], pod1, () -> Files.exists(firstEpoch), null), out + " / " + err);
        Path onServer = tmp.resolve("runs").resolve(id).resolve("checkpoints");
        Retention.Saved newest = Retention.newest(onServer).orElseThrow(() -> new AssertionError("no checkpoint reached the server: " + err));
        assertEquals("final.zip", newest.name(), "the stop's checkpoint reached the server: " + err);
        assertArrayEquals(Files.readAllBytes(pod1.resolve(id).resolve("checkpoints").resolve("final.zip")), Files.readAllBytes(onServer.resolve("final.zip")));
        assertTrue(Files.isRegularFile(onServer.resolve("epoch-0001.zip")) && Files.isRegularFile(onServer.resolve("epoch-0001.zip.json")));

        server.ingest.resume(id, newest.step()); // what the kubernetes executor does before it creates the resume Job
        Path pod2 = tmp.resolve("pod2"); // an empty disk: everything comes from the server
        assertEquals(0, train(id, run[1], pod2, () -> false, newest.name()), out + " / " + err);

        JsonNode resumed = loss(id), whole = loss(ref[0]);
        assertEquals(whole.get("total").asInt(), resumed.get("total").asInt(), "one value per step: " + resumed);
        List<Long> steps = new java.util.ArrayList<>();
        for (JsonNode s : resumed.get("step")) steps.add(s.asLong());
        for (int i = 0; i < steps.size(); i++) assertEquals((long) i, steps.get(i), "steps 0..N-1 once each");
        for (int i = 0; i < steps.size(); i++)
            assertEquals(whole.get("last").get(i).asDouble(), resumed.get("last").get(i).asDouble(), 1e-6, "loss at step " + i);
        try (RunReader r = server.store.reader(id)) {
            List<Resumed> marks = r.resumes();
            assertEquals(1, marks.size(), marks.toString());
            assertEquals(newest.step(), marks.get(0).fromStep(), "resumed_at marks the checkpoint's step");
        }
        assertEquals("finished", Json.tree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/runs/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("status").asText());
    }
}
