package trainwatch.live;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import trainwatch.event.RunStatus;
import trainwatch.http.TrainwatchServer;

/**
 * Live streaming figures for docs/benchmarks.md ("## Live streaming"):
 * 1. append -> WebSocket receipt latency (p50/p95/p99) at 1k and 10k points/s;
 * 2. 100 clients on one run at 10k points/s: delivered points/s, and the trainer's
 *    iteration time with them vs without any, also with one stalled client among them.
 * The trainer is a separate process (FakeTrainer) as in real use.
 * mvn -B -o -Pbench -pl server test -Dtest=LiveStreamingBench
 */
@Tag("bench")
class LiveStreamingBench {
    private static final int TAGS = 10;
    private static final int WORK = 20_000; // ~0.2-0.3 ms of arithmetic per iteration on this machine
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern ITER = Pattern.compile("iter_us median=([\\d.]+) mean=([\\d.]+) p95=([\\d.]+)");

    @Test
    void live_streaming_figures() throws Exception {
        Path runs = Files.createTempDirectory("tw-bench");
        try (TrainwatchServer server = new TrainwatchServer(new TrainwatchServer.Options("127.0.0.1", 0, runs, 1, null, null, null,
                null, 10_000, List.of())).start()) {
            StringBuilder out = new StringBuilder();
            String parts = System.getProperty("bench.parts", "latency,fanout"); // e.g. -Dbench.parts=latency
            if (parts.contains("latency")) for (int rate : new int[] {1_000, 10_000}) out.append(latency(server, runs, rate)).append('\n');
            if (parts.contains("fanout")) out.append(fanOut(server, runs));
            System.out.println("\n===== RESULTS =====\n" + out);
        }
    }

    /** Latency from the record's wall time (set by the writer at append) to receipt, over 20 s. */
    private String latency(TrainwatchServer server, Path runs, int pointsPerSec) throws Exception {
        String id = newRun(server);
        List<Long> lat = new ArrayList<>();
        Client c = new Client(true, msg -> {
            long now = System.currentTimeMillis();
            int t = msg.indexOf("\"t\":[");
            if (t < 0) return;
            int end = msg.indexOf(']', t);
            for (String v : msg.substring(t + 5, end).split(",")) if (!v.isEmpty()) synchronized (lat) {
                lat.add(now - Long.parseLong(v));
            }
        });
        c.connect(server.port(), id);
        String iter = trainer(runs, id, pointsPerSec, 20, WORK);
        Thread.sleep(1000);
        c.ws.abort();
        long[] a;
        synchronized (lat) {
            a = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return String.format(Locale.ROOT, "latency %,d points/s: n=%d steps, p50=%d ms p95=%d ms p99=%d ms max=%d ms (trainer %s)",
                pointsPerSec, a.length, pct(a, 50), pct(a, 95), pct(a, 99), a[a.length - 1], iter);
    }

    /** 100 clients at 10k points/s; 2 rounds of: none / 100 / 99 + 1 stalled. */
    private String fanOut(TrainwatchServer server, Path runs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int round = 1; round <= 2; round++) {
            for (String mode : new String[] {"none", "100", "99+stalled"}) {
                String id = newRun(server);
                List<Client> clients = new ArrayList<>();
                int n = mode.equals("none") ? 0 : 100;
                for (int i = 0; i < n; i++) {
                    boolean reading = !(mode.equals("99+stalled") && i == 0);
                    Client c = new Client(reading, null);
                    c.connect(server.port(), id);
                    clients.add(c);
                }
                String iter = trainer(runs, id, 10_000, 15, WORK);
                double secs = 15; // the trainer appends for exactly this long (its JVM start is not counted)
                Thread.sleep(1000);
                long records = 0;
                int lagged = 0;
                for (Client c : clients) {
                    if (c.reading) records += c.maxSeq.get();
                    if (c.closeCode == 4008) lagged++;
                    c.ws.abort();
                }
                long readers = clients.stream().filter(c -> c.reading).count();
                sb.append(String.format(Locale.ROOT, "round %d clients=%s: trainer %s; delivered %,.0f points/s to %d readers (%,.0f per client); closed with 4008: %d%n",
                        round, mode, iter, records * TAGS / secs, readers, readers == 0 ? 0 : records * TAGS / secs / readers, lagged));
            }
        }
        return sb.toString();
    }

    private static String newRun(TrainwatchServer server) {
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"bench\"}", RunStatus.QUEUED, "");
        return id;
    }

    private static String trainer(Path runs, String id, int pointsPerSec, int seconds, int work) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FakeTrainer.class.getName(), runs.toString(), id,
                String.valueOf(pointsPerSec), String.valueOf(seconds), String.valueOf(TAGS), String.valueOf(work))
                .redirectErrorStream(true).start();
        String result = "?";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = ITER.matcher(line);
                if (m.find()) result = "iter median " + m.group(1) + " us, mean " + m.group(2) + " us, p95 " + m.group(3) + " us";
                else System.out.println("trainer: " + line);
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return result;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    /** A WebSocket client that counts the largest seq it received; a stalled one requests nothing after the first frame. */
    private static final class Client implements WebSocket.Listener {
        final boolean reading;
        final AtomicLong maxSeq = new AtomicLong();
        final java.util.function.Consumer<String> onMessage;
        final StringBuilder partial = new StringBuilder();
        volatile int closeCode;
        WebSocket ws;

        Client(boolean reading, java.util.function.Consumer<String> onMessage) {
            this.reading = reading;
            this.onMessage = onMessage;
        }

        void connect(int port, String id) throws Exception {
            ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/runs/" + id + "/live"), this)
                    .get(30, TimeUnit.SECONDS);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String msg = partial.toString();
                partial.setLength(0);
                if (msg.startsWith("{\"type\":\"scalars\"")) {
                    Matcher m = SEQ.matcher(msg);
                    if (m.find()) maxSeq.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
                    if (onMessage != null) onMessage.accept(msg);
                }
            }
            if (reading) webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            return null;
        }
    }
}
