package trainwatch.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.TailBatch;
import trainwatch.testkit.ServerProcess;

/**
 * A 1,000,000-step run exported by a server JVM limited to a 64 MB heap: the JSON-lines download
 * (about 100 MB) and the CSV one arrive whole, so the server cannot have held either in memory;
 * the heap in use is sampled while it streams. The download then imports back bit for bit, NaN
 * and infinities included, compared record by record without holding either run in memory.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a child JVM and a million-record run on a loaded box
class ExportMemoryTest {
    static final int STEPS = 1_000_000;

    @TempDir
    Path tmp;

    @Test
    void a_million_step_export_streams_with_flat_server_memory_and_imports_back_bit_for_bit() throws Exception {
        Path runs = tmp.resolve("runs");
        RunStore store = new RunStore(runs, Clock.systemUTC());
        String id = store.newId();
        store.create(id, "{\"name\":\"million\",\"dataset\":\"spiral\"}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            String[] tags = {"loss", "lr/layer0"};
            double[] v = new double[2];
            for (int s = 0; s < STEPS; s++) {
                v[0] = s % 100_000 == 77 ? Double.NaN : s % 250_000 == 5 ? Double.POSITIVE_INFINITY : Math.exp(-s / 3e5) + Math.sin(s) * 1e-3;
                v[1] = 0.1 * Math.pow(0.5, s / 200_000);
                w.scalars(s, 1_764_000_000_000L + s, tags, v);
                if (s % 1000 == 999) w.scalars(s, 1_764_000_000_000L + s, new String[] {"val_acc"}, new double[] {s / (double) STEPS});
            }
            w.status(RunStatus.FINISHED, "");
        }

        try (ServerProcess server = new ServerProcess(runs).maxHeap("64m").start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
            Path jsonl = tmp.resolve("million.jsonl");
            HeapSampler heap = new HeapSampler(server.pid());
            heap.start();
            long jsonlBytes = download(http, server.url() + "api/runs/" + id + "/export?format=jsonl", jsonl);
            long csvBytes = download(http, server.url() + "api/runs/" + id + "/export?format=csv", tmp.resolve("million.csv"));
            heap.stop();
            long mb = 1 << 20;
            System.out.printf("export of %d steps: jsonl %d MB, csv %d MB; server heap in use while streaming: max %d MB over %d samples (-Xmx64m)%n",
                    STEPS, jsonlBytes / mb, csvBytes / mb, heap.maxUsed.get() / mb, heap.samples.get());
            assertTrue(jsonlBytes > 80 * mb, "the JSON lines are more than the server's whole heap: " + jsonlBytes);
            assertEquals(1 + STEPS + STEPS / 1000, lines(jsonl), "header + every record");
            assertEquals(1 + STEPS + STEPS / 1000, lines(tmp.resolve("million.csv")), "header + every record");
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/runs/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), "the server still answers");
            assertFalse(server.tail().contains("OutOfMemoryError"), server.tail());
            if (heap.samples.get() > 0) assertTrue(heap.maxUsed.get() <= 64 * mb, "heap in use " + heap.maxUsed.get());

            RunStore back = new RunStore(tmp.resolve("imported"), Clock.systemUTC());
            Import.Result r = Import.run(back, jsonl, null);
            assertEquals(STEPS + STEPS / 1000, r.records());
            assertSameRun(store, id, back, r.id());
            Import.Result fromCsv = Import.run(back, tmp.resolve("million.csv"), null);
            assertSameRun(store, id, back, fromCsv.id());
        }
    }

    static long download(HttpClient http, String url, Path to) throws Exception {
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode(), url);
        try (InputStream in = res.body()) {
            return Files.copy(in, to);
        }
    }

    static long lines(Path f) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return r.lines().count();
        }
    }

    /** Both logs read side by side, a batch at a time: every record's step, time, tags and value bits. */
    static void assertSameRun(RunStore a, String idA, RunStore b, String idB) {
        try (RunReader ra = a.reader(idA); RunReader rb = b.reader(idB)) {
            Batches x = new Batches(ra), y = new Batches(rb);
            long n = 0;
            for (Scalars s; (s = x.next()) != null; n++) {
                Scalars t = y.next();
                assertTrue(t != null, "the import ends early at record " + n);
                assertEquals(s.step(), t.step(), "step of record " + n);
                assertEquals(s.wallMs(), t.wallMs(), "t of record " + n);
                assertEquals(List.of(s.tags()), List.of(t.tags()), "tags of record " + n);
                for (int k = 0; k < s.values().length; k++)
                    if (Double.doubleToRawLongBits(s.values()[k]) != Double.doubleToRawLongBits(t.values()[k]))
                        throw new AssertionError("record " + n + " " + s.tags()[k] + ": " + s.values()[k] + " came back as " + t.values()[k]);
            }
            assertEquals(null, y.next(), "the import has extra records");
            assertEquals(STEPS + STEPS / 1000, n);
        }
    }

    /** Scalars records of a run, one batch of the log in memory at a time. */
    static final class Batches {
        private final RunReader r;
        private long position;
        private List<Scalars> batch = new ArrayList<>();
        private int i;

        Batches(RunReader r) {
            this.r = r;
        }

        Scalars next() {
            while (i >= batch.size()) {
                TailBatch b = r.readFrom(position, 10_000);
                if (b.events().isEmpty() || b.next() <= position) return null;
                position = b.next();
                batch = new ArrayList<>();
                i = 0;
                for (RunEvent e : b.events()) if (e instanceof Scalars s) batch.add(s);
            }
            return batch.get(i++);
        }
    }

    /** The server JVM's heap in use (young + old + survivors, from jstat) every 250 ms while it runs. */
    static final class HeapSampler {
        final AtomicLong maxUsed = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        private final long pid;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        HeapSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    sample();
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        private void sample() {
            Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
            if (!Files.isExecutable(jstat)) return;
            try {
                Process p = new ProcessBuilder(jstat.toString(), "-gc", String.valueOf(pid)).redirectErrorStream(true).start();
                List<String> out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
                p.waitFor(10, TimeUnit.SECONDS);
                if (out.size() < 2) return;
                String[] head = out.get(0).trim().split("\\s+"), vals = out.get(1).trim().split("\\s+");
                double kb = 0;
                for (int k = 0; k < head.length && k < vals.length; k++)
                    if (List.of("S0U", "S1U", "EU", "OU").contains(head[k])) kb += Double.parseDouble(vals[k]);
                maxUsed.accumulateAndGet((long) (kb * 1024), Math::max);
                samples.incrementAndGet();
            } catch (Exception e) {
                // jstat could not attach (loaded machine): no sample
            }
        }
    }
}
