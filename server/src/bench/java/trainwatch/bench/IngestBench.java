package trainwatch.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;

/**
 * Many remote trainers on loopback (docs/benchmarks.md "Ingest"): each sends 10 steps/s of 10 tags as one batch a
 * second for the duration, from its own process (TrainerFarm); afterwards every run's stored step count is compared
 * with what was acknowledged (records lost), and a few runs are watched over the live WebSocket for the ingest ->
 * browser latency (batch sent -> its scalars message received). Server heap after GC and the CPU of the server's
 * process and of the trainers' process are reported.
 * mvn -B -o -Pbench -pl server test -Dtest=IngestBench [-Dbench.trainers=1000 -Dbench.seconds=60 -Dbench.watched=20]
 */
@Tag("bench")
class IngestBench {
    private static final Pattern T = Pattern.compile("\"t\":\\[([^\\]]*)\\]");

    @Test
    void many_remote_trainers() throws Exception {
        int trainers = Integer.getInteger("bench.trainers", 1000);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int warmup = Integer.getInteger("bench.warmup", 10);
        int watched = Math.min(trainers, Integer.getInteger("bench.watched", 20));
        Path runs = Files.createTempDirectory("tw-ingest-bench");
        String jfrFile = System.getProperty("bench.jfr"); // a JFR recording of the whole run, for finding where the time goes
        jdk.jfr.Recording jfr = null;
        if (jfrFile != null) {
            jfr = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            jfr.setDestination(Path.of(jfrFile));
            jfr.start();
        }
        try (TrainwatchServer server = new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(0).withRuns(runs).withMaxParallel(1)).start()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(10)).build();
            String[] ids = new String[trainers], keys = new String[trainers];
            for (int i = 0; i < trainers; i++) {
                HttpResponse<String> r = http.send(json(base + "/api/ingest/runs", null, "{\"name\":\"bench-" + i + "\"}"), HttpResponse.BodyHandlers.ofString());
                JsonNode j = Json.tree(r.body());
                ids[i] = j.get("id").asText();
                keys[i] = j.get("key").asText();
            }
            ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>(); // {sent at (wall ms), latency ms}
            List<WebSocket> sockets = new ArrayList<>();
            // the watchers are "browsers": their own client and threads, not queued behind 1,000 trainers' replies
            HttpClient browsers = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < watched; i++) sockets.add(watch(browsers, base, ids[i], latencies));

            // the trainers: their own process (TrainerFarm), as a trainer never shares the server's JVM
            Path idsFile = runs.resolveSibling(runs.getFileName() + "-trainers.txt"), farmOut = runs.resolveSibling(runs.getFileName() + "-farm.json");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < trainers; i++) lines.append(ids[i]).append(' ').append(keys[i]).append('\n');
            Files.writeString(idsFile, lines);
            String load0 = loadAverage();
            long[] maxFds = {0};
            ScheduledExecutorService fdSampler = Executors.newSingleThreadScheduledExecutor();
            fdSampler.scheduleAtFixedRate(() -> maxFds[0] = Math.max(maxFds[0], openFds()), 0, 1, TimeUnit.SECONDS);
            long cpu0 = cpu(), wall0 = System.nanoTime();
            Process farm = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx2g",
                    // with 2 cores the common pool has parallelism 1 and CompletableFuture starts a thread per reply
                    "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
                    "-cp", System.getProperty("java.class.path"), TrainerFarm.class.getName(),
                    base, idsFile.toString(), Integer.toString(seconds), Integer.toString(warmup), farmOut.toString()).inheritIO().start();
            if (!farm.waitFor(seconds + warmup + 180L, TimeUnit.SECONDS)) {
                farm.destroyForcibly();
                throw new AssertionError("the trainer farm did not finish");
            }
            if (farm.exitValue() != 0) throw new AssertionError("the trainer farm failed: exit " + farm.exitValue());
            JsonNode f = Json.tree(Files.readString(farmOut));
            long cpu1 = cpu(), wall1 = System.nanoTime();
            fdSampler.shutdownNow();
            String load1 = loadAverage();
            long fdsAtEnd = openFds();
            Thread.sleep(2000);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            long stored = 0, lost = 0;
            for (int i = 0; i < trainers; i++) {
                JsonNode s = Json.tree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + ids[i] + "/scalars?tag=t0&points=1")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                long total = s.path("total").asLong(0);
                stored += total;
                lost += Math.max(0, f.get("next").get(i).asLong() - total);
            }
            sockets.forEach(WebSocket::abort);
            long measureFrom = f.get("measure_from_ms").asLong();
            List<Long> lat = new ArrayList<>(), latAll = new ArrayList<>();
            for (long[] l : latencies) {
                latAll.add(l[1]);
                if (l[0] >= measureFrom) lat.add(l[1]);
            }
            Collections.sort(lat);
            Collections.sort(latAll);
            double cores = (cpu1 - cpu0) / (double) (wall1 - wall0);
            String out = String.format(Locale.ROOT,
                    "trainers=%d seconds=%d after a %d s warm-up: steps offered=%d acknowledged=%d stored=%d lost=%d; batches skipped (trainer behind)=%d failed=%d non-200=%d; "
                            + "ingest->browser latency over %d watched runs (%d messages): p50=%d ms p95=%d ms p99=%d ms max=%d ms (warm-up included: p95=%d ms); "
                            + "batch sent -> reply (%d batches): p50=%d ms p95=%d ms p99=%d ms (warm-up included: p95=%d ms); heap after GC=%d MB; "
                            + "server process CPU=%.2f cores (20 WebSocket readers included), trainer process CPU=%.2f cores; 5xx=%d (503=%d, internal errors=%d); "
                            + "open fds max=%d at end=%d (limit %d); load average before: %s after: %s",
                    trainers, seconds, warmup, 10L * trainers * (seconds + warmup), f.get("acknowledged").asLong(), stored, lost, f.get("skipped").asLong(), f.get("failed").asLong(),
                    f.get("non200").asLong(), watched, lat.size(),
                    pct(lat, 50), pct(lat, 95), pct(lat, 99), lat.isEmpty() ? -1 : lat.get(lat.size() - 1), pct(latAll, 95),
                    f.get("replies").asLong(), f.get("reply_p50_ms").asLong(), f.get("reply_p95_ms").asLong(), f.get("reply_p99_ms").asLong(),
                    f.get("reply_all_p95_ms").asLong(), heap >> 20, cores,
                    f.get("cpu_cores").asDouble(),
                    server.stats.count(500, 600), server.stats.count(503, 504), server.stats.internalErrors(), maxFds[0], fdsAtEnd, maxFds(),
                    load0, load1);
            System.out.println("\n===== RESULTS =====\n" + out + "\nreply p95 by second sent: " + f.get("reply_p95_by_second").asText());
        } finally {
            if (jfr != null) {
                jfr.stop();
                jfr.close();
            }
        }
    }

    private static WebSocket watch(HttpClient http, String base, String id, ConcurrentLinkedQueue<long[]> latencies) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/api/runs/" + id + "/live"), new WebSocket.Listener() {
            final StringBuilder part = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                part.append(data);
                if (last) {
                    long now = System.currentTimeMillis();
                    String msg = part.toString();
                    part.setLength(0);
                    if (msg.contains("\"type\":\"scalars\"")) {
                        Matcher m = T.matcher(msg);
                        if (m.find()) {
                            String[] ts = m.group(1).split(",");
                            long sent = Long.parseLong(ts[ts.length - 1].trim());
                            latencies.add(new long[] {sent, now - sent});
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    static HttpRequest json(String url, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b.build();
    }

    private static long openFds() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long maxFds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** This process's CPU time in ns (the trainer farm's too). */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
