package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.testkit.ServerProcess;

/**
 * The real thing behind IngestUnavailableTest's injected fault: a server process whose descriptor limit is lowered
 * (prlimit) until new remote runs cannot open their files. Whatever the kernel refuses (a run's log, its tag table,
 * the ingest intent, a reader) is answered 503 with Retry-After, never 500 or a dropped connection; once
 * descriptors are free again every batch sent again is stored exactly once and the server logged no fault.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RealDescriptorLimitTest {
    private static final int RUNS_BEFORE = 4, RUNS_DURING = 12, CREATES_DURING = 3, STEPS = 10;

    // one connection, opened before the limit drops (a new connection would need a descriptor too)
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @Test
    void out_of_descriptors_for_real_is_503_and_every_batch_sent_again_is_stored_once(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = new ServerProcess(tmp.resolve("runs")).packaged().start()) {
            String base = server.url().replaceAll("/$", "");
            List<String[]> runs = new ArrayList<>(); // {id, key}
            for (int i = 0; i < RUNS_BEFORE; i++) { // every route and error path in use once: their classes are loaded
                String[] r = create(base, "before-" + i);
                assertEquals(200, send(base, r, 0).statusCode());
                runs.add(r);
            }
            List<String[]> idle = new ArrayList<>(); // created now, first batch once descriptors are short: their files open then
            for (int i = 0; i < RUNS_DURING; i++) idle.add(create(base, "during-" + i));
            long open = openFds(server.pid()), limit = softLimit(server.pid());
            setLimit(server.pid(), open); // nothing more opens: a batch's intent file, a new tag table, a new run's files

            TreeMap<Integer, Integer> statuses = new TreeMap<>();
            List<String[]> pending = new ArrayList<>(); // runs whose first batch was refused
            for (String[] r : idle) {
                runs.add(r);
                HttpResponse<String> b = send(base, r, 0);
                statuses.merge(b.statusCode(), 1, Integer::sum);
                if (b.statusCode() != 200) {
                    assertRetryLater(b, server);
                    pending.add(r);
                }
            }
            assertFalse(pending.isEmpty(), "first batches met the limit: " + statuses);
            int createRefused = 0;
            for (int i = 0; i < CREATES_DURING; i++) {
                HttpResponse<String> c = post(base + "/api/ingest/runs", null, "{\"name\": \"refused-" + i + "\"}");
                statuses.merge(c.statusCode(), 1, Integer::sum);
                if (c.statusCode() == 201) runs.add(new String[] {Json.tree(c.body()).get("id").asText(), Json.tree(c.body()).get("key").asText()});
                else {
                    assertRetryLater(c, server);
                    createRefused++;
                }
            }
            assertTrue(statuses.getOrDefault(503, 0) > 0, "the limit was reached: " + statuses);
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 201 || s == 503), "only 200, 201 and 503: " + statuses);

            setLimit(server.pid(), limit);
            for (int i = 0; i < createRefused; i++) { // a refused create is not listed: the client creates another
                String[] r = create(base, "again-" + i);
                assertEquals(200, send(base, r, 0).statusCode());
                runs.add(r);
            }
            for (String[] r : pending) {
                HttpResponse<String> b = send(base, r, 0);
                assertEquals(200, b.statusCode(), "sent again: " + b.body());
                assertEquals(STEPS, Json.tree(b.body()).get("next").asLong());
            }
            for (String[] r : runs) {
                HttpResponse<String> b = send(base, r, STEPS); // the second batch of every run, then the rest is read back
                assertEquals(200, b.statusCode(), b.body());
                assertArrayEquals(LongStream.range(0, 2 * STEPS).toArray(), steps(base, r[0]), "run " + r[0] + ": every step once");
            }
            assertEquals(RUNS_BEFORE + RUNS_DURING + CREATES_DURING, runs.size());
            String metrics = get(base + "/metrics").body();
            assertEquals(0.0, metric(metrics, "trainwatch_http_internal_errors_total"), "no internal error counted");
            assertTrue(metric(metrics, "trainwatch_http_unavailable_total") >= statuses.get(503), "the 503s are counted as such:\n" + metrics);
            if (createRefused > 0) { // a refused create renamed its run away but could not remove it: the next start does
                server.stop();
                server.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!deleting(server.runs()).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
                assertEquals(List.of(), deleting(server.runs()), "half-deleted runs left after a restart");
            }
        } // ServerProcess.close fails the test if the server logged an internal error
    }

    private static void assertRetryLater(HttpResponse<String> r, ServerProcess server) {
        assertEquals(503, r.statusCode(), () -> r.body() + "\n" + server.tail());
        assertEquals("2", r.headers().firstValue("Retry-After").orElse(null), r.body());
        assertTrue(Json.tree(r.body()).get("error").asText().contains("file descriptors"), r.body());
    }

    private String[] create(String base, String name) throws Exception {
        HttpResponse<String> c = post(base + "/api/ingest/runs", null, "{\"name\": \"" + name + "\"}");
        assertEquals(201, c.statusCode(), c.body());
        JsonNode j = Json.tree(c.body());
        return new String[] {j.get("id").asText(), j.get("key").asText()};
    }

    private HttpResponse<String> send(String base, String[] run, int from) throws Exception {
        return post(base + "/api/ingest/runs/" + run[0] + "/records", run[1],
                "{\"seq\": " + from + ", \"records\": [" + Ingest.rows(from, from + STEPS) + "]}");
    }

    private long[] steps(String base, String id) throws Exception {
        HttpResponse<String> r = get(base + "/api/runs/" + id + "/scalars?tag=loss&points=1000");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode s = Json.tree(r.body()).get("step");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asLong();
        return out;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long openFds(long pid) {
        String[] fds = new File("/proc/" + pid + "/fd").list();
        if (fds == null) throw new AssertionError("cannot list /proc/" + pid + "/fd");
        return fds.length;
    }

    private static List<Path> deleting(Path runs) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(runs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".deleting-")).toList();
        }
    }

    private static double metric(String exposition, String name) {
        for (String line : exposition.split("\n")) if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        throw new AssertionError(name + " missing from /metrics:\n" + exposition);
    }

    private static long softLimit(long pid) throws Exception {
        return Long.parseLong(prlimit("--pid", Long.toString(pid), "--nofile", "--raw", "--noheadings", "--output=SOFT").trim());
    }

    /** The soft limit only (prlimit, util-linux: on every Debian), so raising it back needs no privilege. */
    private static void setLimit(long pid, long n) throws Exception {
        prlimit("--pid", Long.toString(pid), "--nofile=" + n + ":");
    }

    private static String prlimit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("prlimit"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "prlimit failed: " + out);
        return out;
    }
}
