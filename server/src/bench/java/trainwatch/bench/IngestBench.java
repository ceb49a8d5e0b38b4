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
 * second for the duration; afterwards every run's stored step count is compared with what was acknowledged (records
 * lost), and a few runs are watched over the live WebSocket for the ingest -> browser latency (batch sent -> its
 * scalars message received). Server heap after GC and process CPU (trainers included: same JVM) are reported.
 * mvn -B -o -Pbench -pl server test -Dtest=IngestBench [-Dbench.trainers=1000 -Dbench.seconds=60 -Dbench.watched=20]
 */
@Tag("bench")
class IngestBench {
    private static final Pattern T = Pattern.compile("\"t\":\\[([^\\]]*)\\]");

    @Test
    void many_remote_trainers() throws Exception {
        int trainers = Integer.getInteger("bench.trainers", 1000);
        int seconds = Integer.getInteger("bench.seconds", 60);
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
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            List<WebSocket> sockets = new ArrayList<>();
            // the watchers are "browsers": their own client and threads, not queued behind 1,000 trainers' replies
            HttpClient browsers = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < watched; i++) sockets.add(watch(browsers, base, ids[i], latencies));

            AtomicLong acknowledged = new AtomicLong(), failed = new AtomicLong(), non200 = new AtomicLong();
            long[] next = new long[trainers];
            inFlight = new boolean[trainers];
            ScheduledExecutorService ticks = Executors.newScheduledThreadPool(4);
            String load0 = loadAverage();
            long[] maxFds = {0};
            ScheduledExecutorService fdSampler = Executors.newSingleThreadScheduledExecutor();
            fdSampler.scheduleAtFixedRate(() -> maxFds[0] = Math.max(maxFds[0], openFds()), 0, 1, TimeUnit.SECONDS);
            long cpu0 = cpu(), wall0 = System.nanoTime();
            for (int i = 0; i < trainers; i++) {
                int k = i;
                ticks.scheduleAtFixedRate(() -> send(http, base, ids[k], keys[k], next, k, acknowledged, failed, non200),
                        (long) (1000.0 * i / trainers), 1000, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(seconds * 1000L);
            ticks.shutdown();
            ticks.awaitTermination(60, TimeUnit.SECONDS);
            long settle = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < settle) {
                boolean any = false;
                synchronized (next) {
                    for (boolean f : inFlight) any |= f;
                }
                if (!any) break;
                Thread.sleep(50);
            }
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
                synchronized (next) {
                    lost += Math.max(0, next[i] - total);
                }
            }
            sockets.forEach(WebSocket::abort);
            List<Long> lat = new ArrayList<>(latencies);
            Collections.sort(lat);
            double cores = (cpu1 - cpu0) / (double) (wall1 - wall0);
            String out = String.format(Locale.ROOT,
                    "trainers=%d seconds=%d: steps offered=%d acknowledged=%d stored=%d lost=%d; batches skipped (trainer behind)=%d failed=%d non-200=%d; "
                            + "ingest->browser latency over %d watched runs (%d messages): p50=%d ms p95=%d ms p99=%d ms max=%d ms; "
                            + "heap after GC=%d MB; process CPU=%.2f cores (trainers and WebSocket readers included); 5xx=%d (503=%d, internal errors=%d); "
                            + "open fds max=%d at end=%d (limit %d); load average before: %s after: %s",
                    trainers, seconds, 10L * trainers * seconds, acknowledged.get(), stored, lost, skipped.get(), failed.get(), non200.get(), watched, lat.size(),
                    pct(lat, 50), pct(lat, 95), pct(lat, 99), lat.isEmpty() ? -1 : lat.get(lat.size() - 1), heap >> 20, cores,
                    server.stats.count(500, 600), server.stats.count(503, 504), server.stats.internalErrors(), maxFds[0], fdsAtEnd, maxFds(),
                    load0, load1);
            System.out.println("\n===== RESULTS =====\n" + out);
        } finally {
            if (jfr != null) {
                jfr.stop();
                jfr.close();
            }
        }
    }

    /** One second of a trainer: 10 steps of 10 tags, stamped with the send time (latency = receipt - this). */
    private static final AtomicLong skipped = new AtomicLong();
    private static boolean[] inFlight;

    private static void send(HttpClient http, String base, String id, String key, long[] next, int k, AtomicLong acknowledged,
                             AtomicLong failed, AtomicLong non200) {
        long first;
        synchronized (next) {
            first = next[k];
        }
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder("{\"seq\":").append(first).append(",\"records\":[");
        for (int s = 0; s < 10; s++) {
            if (s > 0) sb.append(',');
            sb.append("{\"type\":\"scalars\",\"step\":").append(first + s).append(",\"t\":").append(now).append(",\"values\":{");
            for (int t = 0; t < 10; t++) sb.append(t == 0 ? "" : ",").append("\"t").append(t).append("\":").append(Math.sin(first + s + t));
            sb.append("}}");
        }
        sb.append("]}");
        synchronized (next) {
            if (inFlight[k]) {
                skipped.incrementAndGet(); // the previous second's batch has no reply yet: this trainer falls behind
                return;
            }
            inFlight[k] = true;
        }
        http.sendAsync(json(base + "/api/ingest/runs/" + id + "/records", key, sb.toString()), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    synchronized (next) {
                        inFlight[k] = false;
                        if (e != null) failed.incrementAndGet();
                        else if (r.statusCode() != 200) non200.incrementAndGet();
                        else {
                            long n = Json.tree(r.body()).get("next").asLong();
                            acknowledged.addAndGet(n - next[k]);
                            next[k] = n;
                        }
                    }
                });
    }

    private static WebSocket watch(HttpClient http, String base, String id, ConcurrentLinkedQueue<Long> latencies) throws Exception {
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
                            latencies.add(now - Long.parseLong(ts[ts.length - 1].trim()));
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    private static HttpRequest json(String url, String key, String body) {
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

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
