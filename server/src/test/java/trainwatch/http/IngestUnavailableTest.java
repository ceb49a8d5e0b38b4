package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.store.FileOps;

/**
 * The process out of file descriptors while a batch is stored ("Too many open files", injected behind the
 * store's file operations): 503 with Retry-After and a JSON error, counted apart from internal errors,
 * nothing of the batch stored; the batch sent again is stored once.
 */
class IngestUnavailableTest {
    /** Fails the next `armed` writes of events.log the way the kernel words EMFILE. */
    static final class OutOfDescriptors implements FileOps {
        final AtomicInteger armed = new AtomicInteger();

        @Override
        public int write(Path file, FileChannel ch, ByteBuffer src, long at) throws IOException {
            if (file.getFileName().toString().equals("events.log") && armed.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
                throw new java.nio.file.FileSystemException(file.toString(), null, "Too many open files");
            return ch.write(src, at);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_batch_that_meets_too_many_open_files_is_503_with_retry_after_and_stores_nothing(@TempDir Path tmp) throws Exception {
        try (TrainwatchServer server = new TrainwatchServer(ServerFixture.options(tmp.resolve("runs"))).start()) {
            OutOfDescriptors ops = new OutOfDescriptors();
            server.store.useFileOps(ops);
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> created = post(base + "/api/ingest/runs", null, "{\"name\": \"emfile\"}");
            assertEquals(201, created.statusCode(), created.body());
            String id = Json.tree(created.body()).get("id").asText();
            String key = Json.tree(created.body()).get("key").asText();
            String records = base + "/api/ingest/runs/" + id + "/records";

            assertEquals(200, post(records, key, batch(0, 10)).statusCode());
            ops.armed.set(1);
            HttpResponse<String> refused = post(records, key, batch(10, 20));
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("2", refused.headers().firstValue("Retry-After").orElse(null), "Retry-After in seconds");
            JsonNode err = Json.tree(refused.body());
            assertTrue(err.get("error").asText().contains("file descriptors"), refused.body());
            assertEquals(1, server.stats.unavailable());
            assertEquals(0, server.stats.internalErrors(), "not counted as a server fault");
            assertArrayEquals(LongStream.range(0, 10).toArray(), steps(base, id), "nothing of the refused batch is stored");

            HttpResponse<String> again = post(records, key, batch(10, 20));
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(20, Json.tree(again.body()).get("next").asLong());
            assertArrayEquals(LongStream.range(0, 20).toArray(), steps(base, id), "every step once after the retry");
            assertEquals(0, server.stats.internalErrors());
        }
    }

    /** Rows for steps [from, to), client seq = step. */
    private static String batch(int from, int to) {
        return "{\"seq\": " + from + ", \"records\": [" + Ingest.rows(from, to) + "]}";
    }

    private long[] steps(String base, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/scalars?tag=loss&points=1000")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode s = Json.tree(r.body()).get("step");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asLong();
        return out;
    }

    private HttpResponse<String> post(String url, String bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
