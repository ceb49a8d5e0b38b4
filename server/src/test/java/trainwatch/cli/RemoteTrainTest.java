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
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;
import trainwatch.train.TrainOutcome;

/** `train --remote`: the trainer's records go through the ingest API to a real server, which writes the run. */
class RemoteTrainTest {
    @TempDir
    Path tmp;
    TrainwatchServer server;
    String url;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();

    /**
     * A stand-in trainer: 30 steps of loss = 1/(step+1), two alerts, then finished. The plateau alert is one the server
     * computes on the scalars itself (for every remote run), so the remote writer leaves it out; the diverged one is sent.
     */
    static final Training STEPS = (config, data, writer, progress, stop) -> {
        writer.status(RunStatus.RUNNING, "");
        for (int s = 0; s < 30; s++) writer.scalars(s, new String[] {"loss", "train_acc"}, new double[] {1.0 / (s + 1), s / 29.0});
        writer.alert(29, "plateau", "loss", "loss stopped improving", "");
        writer.alert(29, "diverged", "loss", "loss exploded at 3 evaluations in a row", "lower the learning rate");
        writer.status(RunStatus.FINISHED, "");
        return new TrainOutcome(RunStatus.FINISHED, "", 30);
    };

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

    private JsonNode get(String path) throws Exception {
        return Json.tree(http.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private RemoteTrain remote(Map<String, String> env) {
        return new RemoteTrain(STEPS, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                tmp.resolve("data"), () -> false, env);
    }

    private void assertRecorded(String id) throws Exception {
        JsonNode run = get("/api/runs/" + id);
        assertEquals("finished", run.get("status").asText(), run.toString());
        JsonNode loss = get("/api/runs/" + id + "/scalars?tag=loss&points=1000");
        assertEquals(30, loss.get("total").asInt());
        for (int s = 0; s < 30; s++) assertEquals(1.0 / (s + 1), loss.get("last").get(s).asDouble(), 0.0);
        JsonNode alerts = get("/api/runs/" + id + "/alerts");
        assertEquals(1, alerts.size(), "the server's own kinds are not sent twice: " + alerts);
        assertEquals("diverged", alerts.get(0).get("kind").asText());
    }

    @Test
    void a_config_trained_with_remote_creates_a_remote_run_on_the_server() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("c.json"), "{\"name\": \"remote-spiral\", \"dataset\": \"spiral\"}");
        int code = remote(Map.of()).run(TrainArgs.parse(new String[] {cfg.toString(), "--remote", url, "--runs", tmp.resolve("local").toString()}));
        assertEquals(0, code, out + " / " + err);
        JsonNode list = get("/api/runs");
        String id = null;
        for (JsonNode r : list.get("runs")) if (r.get("name").asText().equals("remote-spiral")) id = r.get("id").asText();
        assertTrue(id != null, list.toString());
        assertRecorded(id);
        assertEquals("spiral", get("/api/runs/" + id).get("config").get("dataset").asText());
    }

    @Test
    void an_existing_remote_run_is_trained_with_its_key_from_the_environment() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/ingest/runs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"pod-run\", \"config\": {\"dataset\": \"spiral\", \"epochs\": 2}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.tree(created.body()).get("id").asText(), key = Json.tree(created.body()).get("key").asText();
        String[] args = {"--remote", url, "--run", id, "--runs", tmp.resolve("local").toString()};
        assertEquals(TrainCommand.BAD_CONFIG, remote(Map.of()).run(TrainArgs.parse(args)), "no key: refused up front");
        assertTrue(err.toString().contains(RemoteTrain.KEY_ENV), err.toString());
        assertEquals(0, remote(Map.of(RemoteTrain.KEY_ENV, key)).run(TrainArgs.parse(args)), out + " / " + err);
        assertRecorded(id);
    }

    /** Sign-in on: the run's key alone reads its config (no token in the environment) and trains it. */
    @Test
    void with_sign_in_on_the_run_key_alone_reads_the_config_and_trains_the_run() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("signed"));
        String editor = new trainwatch.auth.TokenStore(runs, java.time.Clock.systemUTC()).create("rt-editor", trainwatch.auth.Role.EDITOR, "test").secret();
        try (TrainwatchServer signed = new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(0).withRuns(runs).withMaxParallel(1)).start()) {
            String base = "http://127.0.0.1:" + signed.port();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ingest/runs")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + editor)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"signed-pod\", \"config\": {\"dataset\": \"spiral\", \"epochs\": 2}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = Json.tree(created.body()).get("id").asText(), key = Json.tree(created.body()).get("key").asText();
            String[] args = {"--remote", base, "--run", id, "--runs", tmp.resolve("local-signed").toString()};
            assertEquals(0, remote(Map.of(RemoteTrain.KEY_ENV, key)).run(TrainArgs.parse(args)), out + " / " + err);
            HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).header("Authorization", "Bearer " + editor)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("finished", Json.tree(run.body()).get("status").asText(), run.body());
            assertEquals(0, signed.stats.count(500, 600));
        }
    }
}
