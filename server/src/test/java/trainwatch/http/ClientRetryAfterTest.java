package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import trainwatch.client.TrainwatchClient;
import trainwatch.json.Json;
import trainwatch.testkit.ServerProcess;

/**
 * The Java and Python clients answered 503 with Retry-After (what the server says when it is out of file
 * descriptors) send again no sooner than asked, and every record arrives once, in order. A stand-in
 * server speaks the ingest protocol and refuses the first batch.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientRetryAfterTest {
    static final int RETRY_AFTER_S = 2;

    /** Exactly-once ingest in memory; the first batch with records is refused 503 with Retry-After. */
    static final class OnceUnavailable implements AutoCloseable {
        final HttpServer http;
        final List<Long> steps = new ArrayList<>();
        final List<String> statuses = new ArrayList<>();
        long next;
        long refusedNs = -1;
        long retriedNs = -1;

        OnceUnavailable() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/api/ingest/runs", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private synchronized void handle(HttpExchange ex) throws IOException {
            byte[] in = ex.getRequestBody().readAllBytes();
            if (ex.getRequestURI().getPath().equals("/api/ingest/runs")) {
                reply(ex, 201, "{\"id\": \"fake-run\", \"key\": \"twk_fake\"}");
                return;
            }
            JsonNode b = Json.tree(new String(in, StandardCharsets.UTF_8));
            long seq = b.get("seq").asLong();
            JsonNode records = b.get("records");
            if (records.size() > 0 && refusedNs < 0) {
                refusedNs = System.nanoTime();
                ex.getResponseHeaders().set("Retry-After", String.valueOf(RETRY_AFTER_S));
                reply(ex, 503, "{\"error\": \"the server is out of file descriptors\", \"errors\": []}");
                return;
            }
            if (refusedNs >= 0 && retriedNs < 0) retriedNs = System.nanoTime();
            if (seq > next) {
                reply(ex, 409, "{\"error\": \"gap\", \"errors\": [], \"expected\": " + next + "}");
                return;
            }
            for (int i = (int) (next - seq); i < records.size(); i++) {
                JsonNode r = records.get(i);
                if (r.get("type").asText().equals("scalars")) steps.add(r.get("step").asLong());
                if (r.get("type").asText().equals("status")) statuses.add(r.get("status").asText());
                next++;
            }
            reply(ex, 200, "{\"next\": " + next + ", \"stop\": false}");
        }

        private static void reply(HttpExchange ex, int status, String body) throws IOException {
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        }

        synchronized void assertHonoured() {
            assertTrue(refusedNs >= 0 && retriedNs >= 0, "a batch was refused and sent again");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(retriedNs - refusedNs);
            assertTrue(waitedMs >= RETRY_AFTER_S * 1000L, "the client waited " + waitedMs + " ms after a Retry-After of " + RETRY_AFTER_S + " s");
            assertEquals(LongStream.range(0, 50).boxed().toList(), steps, "every step once, in order");
            assertEquals(List.of("finished"), statuses);
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @Test
    void the_java_client_waits_at_least_retry_after_and_loses_nothing(@TempDir Path tmp) throws Exception {
        try (OnceUnavailable server = new OnceUnavailable()) {
            TrainwatchClient c = TrainwatchClient.builder(server.url(), "retry-after").spoolDir(tmp).flushIntervalMs(20).start();
            for (long s = 0; s < 50; s++) c.log(s, Map.of("loss", 1.0 / (s + 1)));
            assertTrue(c.finish("finished"), "delivered");
            c.close();
            server.assertHonoured();
        }
    }

    @Test
    void the_python_client_waits_at_least_retry_after_and_loses_nothing(@TempDir Path tmp) throws Exception {
        String python = PythonClientTest.python3();
        Assumptions.assumeTrue(python != null, "python3 is not installed");
        String script = String.join("\n",
                "import sys",
                "sys.path.insert(0, sys.argv[1])",
                "from trainwatch_client import Run",
                "run = Run(sys.argv[2], 'retry-after', spool_dir=sys.argv[3], flush_interval=0.02)",
                "for step in range(50):",
                "    run.log(step, {'loss': 1.0 / (step + 1)})",
                "ok = run.finish(timeout=120)",
                "run.close()",
                "sys.exit(0 if ok else 1)");
        try (OnceUnavailable server = new OnceUnavailable()) {
            Path clients = ServerProcess.repoRoot().resolve("clients").resolve("python");
            Process py = new ProcessBuilder(python, "-c", script, clients.toString(), server.url(), tmp.resolve("spool").toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("python.out").toFile()).start();
            assertTrue(py.waitFor(3, TimeUnit.MINUTES), "python finished");
            assertEquals(0, py.exitValue(), java.nio.file.Files.readString(tmp.resolve("python.out")));
            server.assertHonoured();
        }
    }
}
