package trainwatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import trainwatch.json.Json;

/**
 * IngestBench's simulated remote trainers, run as their own process (a trainer is never in the server's JVM, and
 * the server's CPU figure should be the server's): every trainer sends, once a second, 10 steps of 10 tags as one
 * batch stamped with the send time, and skips a second when its previous batch has no reply yet (it fell behind).
 * Trainers share one HTTP client per {@link #PER_CLIENT} of them, as separate processes would not share one
 * connection pool. Writes its counts and reply times as JSON to the output file.
 * The first {@code warmup} seconds (every run's first batch creates its files, the JVMs compile) are sent the same
 * way but left out of the reply times, which are also given for the whole run.
 * Arguments: base URL, file of "id key" lines, seconds measured, warm-up seconds, output file.
 */
public final class TrainerFarm {
    static final int PER_CLIENT = 50;

    private final String base;
    private final String[] ids, keys;
    private final long[] next;
    private final boolean[] inFlight;
    private final AtomicLong acknowledged = new AtomicLong(), failed = new AtomicLong(), non200 = new AtomicLong(), skipped = new AtomicLong();
    /** Reply times by the second the batch was sent in (where in the run the slow ones are). */
    private final ConcurrentLinkedQueue<long[]> timeline = new ConcurrentLinkedQueue<>();
    private volatile long startNs;
    /** The self-warming run: its stand-in server's closed connections are not worth a line. */
    private boolean quiet;

    private TrainerFarm(String base, String[] ids, String[] keys) {
        this.base = base;
        this.ids = ids;
        this.keys = keys;
        this.next = new long[ids.length];
        this.inFlight = new boolean[ids.length];
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        String[] ids = new String[lines.size()], keys = new String[lines.size()];
        for (int i = 0; i < ids.length; i++) {
            String[] p = lines.get(i).split(" ");
            ids[i] = p[0];
            keys[i] = p[1];
        }
        selfWarm(ids.length);
        TrainerFarm farm = new TrainerFarm(args[0], ids, keys);
        Map<String, Object> out = farm.run(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        Files.writeString(Path.of(args[4]), Json.write(out));
        System.exit(0);
    }

    /**
     * Compiles the farm's own sending path before the first real batch: 1,000 trainers are 1,000 processes, each
     * warm after its first batches, not one cold JVM, so the start-up figures should be the server's. The same
     * batches go for 3 s to a stand-in server in this process that acknowledges them.
     */
    private static void selfWarm(int trainers) throws Exception {
        com.sun.net.httpserver.HttpServer stub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        stub.setExecutor(Executors.newFixedThreadPool(2));
        stub.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] reply = "{\"next\": 10, \"stop\": false}".getBytes();
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        stub.start();
        String[] ids = new String[trainers], keys = new String[trainers];
        java.util.Arrays.fill(ids, "warm");
        java.util.Arrays.fill(keys, "twk_warm");
        TrainerFarm warm = new TrainerFarm("http://127.0.0.1:" + stub.getAddress().getPort(), ids, keys);
        warm.quiet = true;
        warm.run(3, 0);
        stub.stop(0);
    }

    private Map<String, Object> run(int seconds, int warmup) throws InterruptedException {
        int n = ids.length;
        List<HttpClient> clients = new ArrayList<>();
        for (int c = 0; c < (n + PER_CLIENT - 1) / PER_CLIENT; c++)
            clients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(1)).connectTimeout(Duration.ofSeconds(10)).build());
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        long cpu0 = IngestBench.cpu();
        startNs = System.nanoTime();
        long measureFromMs = System.currentTimeMillis() + warmup * 1000L;
        for (int i = 0; i < n; i++) {
            int k = i;
            ticks.scheduleAtFixedRate(() -> send(clients.get(k / PER_CLIENT), k), (long) (1000.0 * i / n), 1000, TimeUnit.MILLISECONDS);
        }
        long wall0 = System.nanoTime();
        Thread.sleep((seconds + warmup) * 1000L);
        ticks.shutdown();
        ticks.awaitTermination(60, TimeUnit.SECONDS);
        long settle = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < settle && anyInFlight()) Thread.sleep(50);
        double cores = (IngestBench.cpu() - cpu0) / (double) (System.nanoTime() - wall0);
        List<Long> all = new ArrayList<>(), replies = new ArrayList<>();
        for (long[] e : timeline) {
            all.add(e[1]);
            if (e[0] >= warmup) replies.add(e[1]);
        }
        Collections.sort(all);
        Collections.sort(replies);
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (next) {
            out.put("next", next.clone());
        }
        out.put("acknowledged", acknowledged.get());
        out.put("failed", failed.get());
        out.put("non200", non200.get());
        out.put("skipped", skipped.get());
        out.put("replies", replies.size());
        out.put("reply_p50_ms", IngestBench.pct(replies, 50));
        out.put("reply_p95_ms", IngestBench.pct(replies, 95));
        out.put("reply_p99_ms", IngestBench.pct(replies, 99));
        out.put("reply_all_p95_ms", IngestBench.pct(all, 95));
        out.put("measure_from_ms", measureFromMs);
        out.put("cpu_cores", cores);
        Map<Long, List<Long>> bySecond = new java.util.TreeMap<>();
        for (long[] e : timeline) bySecond.computeIfAbsent(e[0], x -> new ArrayList<>()).add(e[1]);
        List<String> seconds95 = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> e : bySecond.entrySet()) {
            Collections.sort(e.getValue());
            seconds95.add(e.getKey() + ":" + IngestBench.pct(e.getValue(), 95));
        }
        out.put("reply_p95_by_second", String.join(" ", seconds95));
        return out;
    }

    private boolean anyInFlight() {
        synchronized (next) {
            for (boolean f : inFlight) if (f) return true;
        }
        return false;
    }

    private void send(HttpClient http, int k) {
        long first;
        synchronized (next) {
            if (inFlight[k]) {
                skipped.incrementAndGet(); // the previous second's batch has no reply yet: this trainer falls behind
                return;
            }
            inFlight[k] = true;
            first = next[k];
        }
        long now = System.currentTimeMillis(), sentNs = System.nanoTime();
        StringBuilder sb = new StringBuilder("{\"seq\":").append(first).append(",\"records\":[");
        for (int s = 0; s < 10; s++) {
            if (s > 0) sb.append(',');
            sb.append("{\"type\":\"scalars\",\"step\":").append(first + s).append(",\"t\":").append(now).append(",\"values\":{");
            for (int t = 0; t < 10; t++) sb.append(t == 0 ? "" : ",").append("\"t").append(t).append("\":").append(Math.sin(first + s + t));
            sb.append("}}");
        }
        sb.append("]}");
        http.sendAsync(IngestBench.json(base + "/api/ingest/runs/" + ids[k] + "/records", keys[k], sb.toString()), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    long ms = (System.nanoTime() - sentNs) / 1_000_000;
                    timeline.add(new long[] {(sentNs - startNs) / 1_000_000_000L, ms});
                    if (e != null && failed.get() < 5 && !quiet) System.err.println("trainer " + k + ": " + e);
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
}
