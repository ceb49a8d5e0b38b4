package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PUT and GET /api/ingest/runs/{id}/checkpoints/{name}: a remote run's trainer sends its checkpoints with its key,
 * they land in runs/&lt;id&gt;/checkpoints/ as a local trainer's would (pruned by the run's checkpoints.keep), and come
 * back byte for byte; every refusal is a 4xx that stores nothing.
 */
class CheckpointRoutesTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    record Remote(String id, String key) {}

    Remote remoteRun(int keep) {
        Api.Res r = fixture.api.post("/api/ingest/runs", "{\"name\": \"ckpt\", \"config\": {\"checkpoints\": {\"keep\": " + keep + "}}}");
        assertEquals(201, r.status(), r.body());
        return new Remote(r.json().get("id").asText(), r.json().get("key").asText());
    }

    Api.Res put(String id, String name, String key, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.api.base + "/api/ingest/runs/" + id + "/checkpoints/" + name))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return fixture.api.send(b);
    }

    byte[] download(String id, String name, String key, int[] status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.api.base + "/api/ingest/runs/" + id + "/checkpoints/" + name)).GET();
        if (key != null) b.header("Authorization", "Bearer " + key);
        HttpResponse<byte[]> r = fixture.api.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Api.SEEN.add("GET checkpoint -> " + r.statusCode());
        status[0] = r.statusCode();
        return r.body();
    }

    static byte[] meta(long step, double valAcc) {
        return ("{\"step\": " + step + ", \"epoch\": 1, \"batch\": 0, \"val_acc\": " + valAcc + "}").getBytes(StandardCharsets.UTF_8);
    }

    Path dir(String id) {
        return fixture.runs.resolve(id).resolve("checkpoints");
    }

    List<String> stored(String id) throws Exception {
        if (!Files.isDirectory(dir(id))) return List.of();
        try (Stream<Path> s = Files.list(dir(id))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_checkpoint_sent_with_the_runs_key_is_stored_durably_and_read_back_byte_for_byte() throws Exception {
        Remote run = remoteRun(3);
        byte[] zip = new byte[300_000];
        new Random(7).nextBytes(zip);
        Api.Res m = put(run.id(), "final.zip.json", run.key(), meta(120, 0.9));
        assertEquals(200, m.status(), m.body());
        Api.Res z = put(run.id(), "final.zip", run.key(), zip);
        assertEquals(200, z.status(), z.body());
        assertEquals(run.id(), z.json().get("id").asText());
        assertEquals("final.zip", z.json().get("name").asText());
        assertEquals(zip.length, z.json().get("bytes").asLong());
        ApiDocs docs = ApiDocs.load();
        assertEquals(List.of(), ApiDocs.undocumented(z.json(), docs.shape(HEADING_PUT, null), "put"), "keys docs/api.md does not name");
        assertArrayEquals(zip, Files.readAllBytes(dir(run.id()).resolve("final.zip")), "stored where a local trainer keeps it");
        assertEquals(List.of("final.zip", "final.zip.json"), stored(run.id()), "no temporary file left behind");

        int[] status = new int[1];
        assertArrayEquals(zip, download(run.id(), "final.zip", run.key(), status), "read back with the run's key");
        assertEquals(200, status[0]);
        assertArrayEquals(zip, download(run.id(), "final.zip", null, status), "and by a viewer (a loopback server without tokens: everyone)");
        assertArrayEquals(meta(120, 0.9), download(run.id(), "final.zip.json", run.key(), status));
        download(run.id(), "epoch-0001.zip", run.key(), status);
        assertEquals(404, status[0], "a file the run does not have");
        // another run's key reading: refused on a server with tokens (AccessMatrixTest); here everyone is a viewer
    }

    @Test
    void epoch_checkpoints_are_pruned_by_the_runs_own_keep_rule_final_best_and_newest() throws Exception {
        Remote run = remoteRun(2);
        double[] acc = {0.5, 0.9, 0.6, 0.7, 0.8};
        for (int e = 1; e <= 5; e++) {
            String name = String.format("epoch-%04d.zip", e);
            assertEquals(200, put(run.id(), name + ".json", run.key(), meta(e * 10L, acc[e - 1])).status());
            Api.Res r = put(run.id(), name, run.key(), new byte[] {(byte) e});
            assertEquals(200, r.status(), r.body());
        }
        // best (epoch 2, 0.9) and the newest 2 (4, 5) stay; 1 and 3 go, each with its meta
        assertEquals(List.of("epoch-0002.zip", "epoch-0002.zip.json", "epoch-0004.zip", "epoch-0004.zip.json", "epoch-0005.zip", "epoch-0005.zip.json"),
                stored(run.id()));
    }

    @Test
    void bad_names_oversize_bodies_and_wrong_keys_are_refused_and_store_nothing() throws Exception {
        Remote run = remoteRun(3);
        Remote other = remoteRun(3);
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        for (String bad : List.of("..%2F..%2Fconfig.json", "%2e%2e", "config.json", ".final.zip.1234.tmp", "final.zip.bak", "epoch-1.zip", "FINAL.zip",
                "status.json", "final.zip.json.json"))
            assertEquals(400, put(run.id(), bad, run.key(), body).status(), bad);
        assertEquals(401, put(run.id(), "final.zip.json", null, body).status(), "no key");
        assertEquals(403, put(run.id(), "final.zip.json", other.key(), body).status(), "another run's key");
        assertEquals(403, put(run.id(), "final.zip.json", "twk_not-a-key", body).status(), "a made-up key");
        assertEquals(409, put(run.id(), "final.zip", run.key(), body).status(), "a zip before its meta");
        Api.Res plain = fixture.api.send(HttpRequest.newBuilder(URI.create(fixture.api.base + "/api/ingest/runs/" + run.id() + "/checkpoints/final.zip.json"))
                .header("Authorization", "Bearer " + run.key()).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(415, plain.status(), plain.body());
        long limit = fixture.server.checkpoints.maxBytes();
        fixture.server.checkpoints.useMaxBytes(1000);
        try {
            Api.Res big = put(run.id(), "average.zip", run.key(), new byte[5000]);
            assertEquals(413, big.status(), big.body());
            assertTrue(big.json().get("errors").get(0).get("field").asText().equals("body"), big.body());
        } finally {
            fixture.server.checkpoints.useMaxBytes(limit);
        }
        assertEquals(List.of(), stored(run.id()), "nothing stored, no temporary file left");
        assertEquals(404, put("20990101-000000-none", "final.zip.json", run.key(), body).status(), "an unknown run");
        assertFalse(Files.exists(fixture.runs.resolve("config.json")));
    }

    static final String HEADING_PUT = "### `PUT /api/ingest/runs/{id}/checkpoints/{name}` — send a checkpoint";
}
