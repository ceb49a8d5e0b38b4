package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.checkpoint.CheckpointUploader;
import trainwatch.event.RunStatus;
import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;
import trainwatch.train.TrainOutcome;

/**
 * A remote trainer's checkpoints travel to the server beside its records, never instead of them: sent as written,
 * retried while the server is away, and a checkpoint the server refuses loses no record of the run.
 */
class CheckpointUploadTest {
    @TempDir
    Path tmp;
    TrainwatchServer server;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();
    static final byte[] ZIP = "weights and updater state".getBytes(StandardCharsets.UTF_8);

    /** 30 steps, an epoch checkpoint written as the trainer writes one (meta first) after step 14, then finished. */
    static final Training WITH_CHECKPOINT = (config, data, writer, progress, stop) -> {
        for (int s = 0; s < 30; s++) {
            writer.scalars(s, new String[] {"loss"}, new double[] {1.0 / (s + 1)});
            if (s == 14) {
                Path dir = writer.checkpointDir();
                Files.writeString(dir.resolve("epoch-0001.zip.json"), "{\"step\": 15, \"epoch\": 1, \"batch\": 0, \"val_acc\": 0.5}");
                Files.write(dir.resolve("epoch-0001.zip"), ZIP);
            }
        }
        writer.status(RunStatus.FINISHED, "");
        return new TrainOutcome(RunStatus.FINISHED, "", 30);
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            assertEquals(0, server.stats.count(500, 600), "no 5xx");
        }
    }

    TrainwatchServer start(int port) throws Exception {
        return new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(port).withRuns(tmp.resolve("runs")).withMaxParallel(1)).start();
    }

    String[] remoteRun(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/ingest/runs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"uploads\", \"config\": {\"dataset\": \"spiral\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new String[] {Json.tree(r.body()).get("id").asText(), Json.tree(r.body()).get("key").asText()};
    }

    int train(String url, String[] run) throws Exception {
        return new RemoteTrain(WITH_CHECKPOINT, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                tmp.resolve("data"), () -> false, Map.of(RemoteTrain.KEY_ENV, run[1], RemoteTrain.CONFIG_ENV, "{\"dataset\": \"spiral\"}"))
                .run(TrainArgs.parse(new String[] {"--remote", url, "--run", run[0], "--runs", tmp.resolve("pod").toString()}));
    }

    JsonNode loss(String url, String id) throws Exception {
        return Json.tree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/runs/" + id + "/scalars?tag=loss&points=1000")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void a_checkpoint_written_by_a_remote_trainer_reaches_the_server_beside_its_records() throws Exception {
        server = start(0);
        String url = "http://127.0.0.1:" + server.port();
        String[] run = remoteRun(url);
        assertEquals(0, train(url, run), out + " / " + err);
        Path stored = tmp.resolve("runs").resolve(run[0]).resolve("checkpoints");
        assertArrayEquals(ZIP, Files.readAllBytes(stored.resolve("epoch-0001.zip")));
        assertTrue(Files.isRegularFile(stored.resolve("epoch-0001.zip.json")));
        assertEquals(30, loss(url, run[0]).get("total").asInt());
    }

    @Test
    void a_checkpoint_the_server_refuses_loses_no_record() throws Exception {
        server = start(0);
        server.checkpoints.useMaxBytes(10); // every zip is over the limit: 413, not sent again
        String url = "http://127.0.0.1:" + server.port();
        String[] run = remoteRun(url);
        assertEquals(0, train(url, run), out + " / " + err);
        assertEquals(30, loss(url, run[0]).get("total").asInt(), "every record arrived");
        assertFalse(Files.exists(tmp.resolve("runs").resolve(run[0]).resolve("checkpoints").resolve("epoch-0001.zip")));
        assertTrue(Files.isRegularFile(tmp.resolve("pod").resolve(run[0]).resolve("checkpoints").resolve("epoch-0001.zip")), "kept by the trainer");
    }

    @Test
    void uploads_wait_while_the_server_is_away_and_go_through_when_it_is_back() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TrainwatchServer first = start(port);
        String[] run = remoteRun("http://127.0.0.1:" + port);
        first.close(); // away
        Path dir = Files.createDirectories(tmp.resolve("local"));
        Files.writeString(dir.resolve("final.zip.json"), "{\"step\": 30, \"epoch\": 2, \"batch\": 0}");
        Files.write(dir.resolve("final.zip"), ZIP);
        CheckpointUploader up = new CheckpointUploader("http://127.0.0.1:" + port, () -> run[0], () -> run[1], dir, 100);
        assertFalse(up.finish(300), "nothing can be sent while the server is away");
        assertTrue(up.error() != null && up.error().contains("not sent yet"), String.valueOf(up.error()));
        server = start(port); // back, same runs/
        assertTrue(up.finish(60_000), "sent once it is back: " + up.error());
        assertArrayEquals(ZIP, Files.readAllBytes(tmp.resolve("runs").resolve(run[0]).resolve("checkpoints").resolve("final.zip")));
        assertEquals(2, up.uploads());
    }
}
