package trainwatch.cli;

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
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.config.ConfigParser;
import trainwatch.config.Resources;
import trainwatch.config.RunConfig;
import trainwatch.data.Datasets;
import trainwatch.ensemble.EnsembleEvaluator;
import trainwatch.ensemble.EnsembleResult;
import trainwatch.event.RunStatus;
import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;
import trainwatch.run.RemoteEvaluations;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.Trainer;

/**
 * `ensemble --eval ID --remote URL`, what an evaluation Job runs, against a real in-process server whose
 * evaluations run elsewhere: with only the key and bundle its Secret would hold and an empty disk, it reads the
 * members' checkpoints over HTTP, evaluates, and posts the result, which /api/ensembles/{id} then serves with the
 * same figures a local evaluation of the same members computes.
 */
@Timeout(600)
class RemoteEvaluationTest {
    @TempDir
    Path tmp;
    TrainwatchServer server;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();

    /** Stands in for the kubernetes executor's Jobs: keeps what the Job's Secret would carry. */
    static final class Captured implements RemoteEvaluations {
        volatile String key, bundle;

        @Override
        public void start(String ensembleId, String k, String b, Resources resources) {
            key = k;
            bundle = b;
        }

        @Override
        public void delete(String ensembleId) {}

        @Override
        public String failure(String ensembleId) {
            return null;
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (server != null) assertEquals(0, server.stats.count(500, 600), "no 5xx");
    }

    static String train(Path runs, long seed) throws Exception {
        RunConfig cfg = ConfigParser.parse("{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, \"epochs\": 2, \"seed\": " + seed
                + ", \"evalEvery\": 10}");
        RunStore store = new RunStore(runs, Clock.systemUTC());
        String id = store.newId();
        store.create(id, ConfigParser.toJson(cfg), RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            assertEquals(RunStatus.FINISHED, Trainer.train(cfg, Datasets.load(cfg), w, ProgressObserver.NONE, () -> false).status());
        }
        return id;
    }

    JsonNode get(String url, String path) throws Exception {
        return Json.tree(http.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void an_evaluation_elsewhere_reads_its_members_over_http_and_its_result_is_served_like_a_local_one() throws Exception {
        Path runs = tmp.resolve("runs");
        String a = train(runs, 1), b = train(runs, 2);
        server = new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(0).withRuns(runs).withMaxParallel(1)).start();
        String url = "http://127.0.0.1:" + server.port();
        Captured job = new Captured();
        server.ensembles.useRemote(job);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/ensembles")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"members\": [\"" + a + "\", \"" + b + ":final\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.tree(created.body()).get("id").asText();
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.bundle == null && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertTrue(job.bundle != null, "the evaluation was handed to the executor");

        Path pod = tmp.resolve("pod"); // an empty disk
        int code = new RemoteEvaluation(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                tmp.resolve("data"), Map.of(RemoteEvaluation.KEY_ENV, job.key, RemoteEvaluation.BUNDLE_ENV, job.bundle)).run(id, url, pod);
        assertEquals(EnsembleCommand.OK, code, out + " / " + err);
        assertTrue(Files.isRegularFile(pod.resolve(a).resolve("checkpoints").resolve("final.zip")), "fetched over HTTP");

        JsonNode detail = get(url, "/api/ensembles/" + id);
        assertEquals("finished", detail.path("status").asText(), detail.toString());
        EnsembleResult local = EnsembleEvaluator.evaluate(server.ensembles.files().spec(id), runs, tmp.resolve("data"));
        assertEquals(local.ensemble().valAcc(), detail.path("result").path("ensemble").path("val_acc").asDouble(), 1e-12);
        assertEquals(2, detail.path("result").path("members").size());
        assertTrue(Files.isRegularFile(runs.resolve(".ensembles").resolve(id).resolve("result.json")), "the file a local evaluation writes");
    }
}
