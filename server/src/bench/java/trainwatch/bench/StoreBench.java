package trainwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import trainwatch.event.RunStatus;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.Series;
import trainwatch.store.TailBatch;

/**
 * Store figures for docs/benchmarks.md: append rate through RunWriter, the
 * 1,000-bucket query over a 10,000,000-step x 11-tag run (whole range and 10%
 * sub-ranges), tailing rate, bytes on disk per step.
 * mvn -B -o -Pbench -pl server test -Dtest=StoreBench  (-Dstore.bench.steps=N to shrink)
 */
@Tag("bench")
class StoreBench {
    private static final String[] TAGS = {"loss", "reg_loss", "train_acc", "lr/conv1", "lr/dense1", "lr/output",
            "update_ratio/conv1", "update_ratio/dense1", "update_ratio/output", "examples_per_sec", "val_acc"};

    @Test
    void store_figures() throws IOException {
        long steps = Long.getLong("store.bench.steps", 10_000_000L);
        Path root = Path.of("target", "store-bench");
        deleteTree(root);
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("bench", "{}", RunStatus.QUEUED, "");
        StringBuilder report = new StringBuilder();

        // 1. append: the trainer's path, buffered (auto-flush every 200 ms)
        double[] v = new double[TAGS.length];
        SplittableRandom rnd = new SplittableRandom(1);
        long t0 = System.nanoTime();
        try (RunWriter w = store.openWriter("bench")) {
            for (long s = 0; s < steps; s++) {
                for (int i = 0; i < v.length; i++) v[i] = Math.exp(-s * 1e-7) + rnd.nextDouble() * 0.1;
                if (s % 1_000_003 == 7) v[0] = Double.NaN;
                w.scalars(s, TAGS, v);
            }
        }
        double appendSec = (System.nanoTime() - t0) / 1e9;
        line(report, "append %,d steps x %d tags: %.1f s = %,.0f steps/s = %,.0f values/s (buffered, auto-flush 200 ms, fsync at close)",
                steps, TAGS.length, appendSec, steps / appendSec, steps * TAGS.length / appendSec);

        // 1b. append with flush() after every step (a trainer that wants every step visible at once)
        long flushSteps = Math.min(steps, 300_000);
        store.create("bench-flush", "{}", RunStatus.QUEUED, "");
        t0 = System.nanoTime();
        try (RunWriter w = store.openWriter("bench-flush")) {
            for (long s = 0; s < flushSteps; s++) {
                for (int i = 0; i < v.length; i++) v[i] = rnd.nextDouble();
                w.scalars(s, TAGS, v);
                w.flush();
            }
        }
        double flushSec = (System.nanoTime() - t0) / 1e9;
        line(report, "append %,d steps with flush() after each: %,.0f steps/s = %,.0f values/s",
                flushSteps, flushSteps / flushSec, flushSteps * TAGS.length / flushSec);

        // 2. bytes on disk
        long logBytes = Files.size(store.dir("bench").resolve("events.log"));
        long allBytes = treeSize(store.dir("bench"));
        line(report, "bytes/step: %.1f (log %.1f + summaries and index %.1f); run directory %.2f GB",
                (double) allBytes / steps, (double) logBytes / steps, (double) (allBytes - logBytes) / steps, allBytes / 1e9);

        // 3. queries
        try (RunReader r = store.reader("bench")) {
            t0 = System.nanoTime();
            Series first = r.series("loss", 1000, Long.MIN_VALUE, Long.MAX_VALUE);
            line(report, "first query on a fresh reader (open + whole range, 1,000 buckets): %.1f ms", (System.nanoTime() - t0) / 1e6);
            assertEquals(steps, first.total());
            for (int i = 0; i < 5; i++) r.series(TAGS[i], 1000, Long.MIN_VALUE, Long.MAX_VALUE);
            double[] whole = new double[15];
            for (int i = 0; i < whole.length; i++) {
                t0 = System.nanoTime();
                Series s = r.series("loss", 1000, Long.MIN_VALUE, Long.MAX_VALUE);
                whole[i] = (System.nanoTime() - t0) / 1e6;
                assertEquals(steps - 1, s.step()[s.step().length - 1], "the newest point is last");
            }
            line(report, "whole range, 1,000 buckets, tag loss: %s", stats(whole));
            double[] sub = new double[15];
            SplittableRandom q = new SplittableRandom(2);
            for (int i = 0; i < sub.length; i++) {
                long from = q.nextLong(steps - steps / 10);
                t0 = System.nanoTime();
                Series s = r.series(TAGS[i % TAGS.length], 1000, from, from + steps / 10 - 1);
                sub[i] = (System.nanoTime() - t0) / 1e6;
                assertEquals(steps / 10, s.total());
            }
            line(report, "random 10%% sub-range, 1,000 buckets, rotating tags: %s", stats(sub));
            double[] small = new double[15];
            for (int i = 0; i < small.length; i++) {
                long from = q.nextLong(steps - 5_000);
                t0 = System.nanoTime();
                r.series("loss", 1000, from, from + 4_999);
                small[i] = (System.nanoTime() - t0) / 1e6;
            }
            line(report, "random 5,000-step sub-range, 1,000 buckets: %s", stats(small));

            // 4. tailing from the start (what a client resuming with after=0 costs)
            long n = Math.min(steps, 1_000_000);
            long pos = r.positionAfter(0);
            long got = 0;
            t0 = System.nanoTime();
            while (got < n) {
                TailBatch b = r.readFrom(pos, 10_000);
                got += b.events().size();
                pos = b.next();
            }
            double tailSec = (System.nanoTime() - t0) / 1e9;
            line(report, "readFrom (decoded events, batches of 10,000): %,.0f records/s", got / tailSec);
        }
        Files.writeString(Path.of("target", "store-bench.txt"), report);
        deleteTree(root);
    }

    private static String stats(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format(Locale.ROOT, "median %.1f ms, mean %.1f, min %.1f, max %.1f (n=%d)", s[s.length / 2], mean, s[0], s[s.length - 1], s.length);
    }

    private static void line(StringBuilder sb, String fmt, Object... args) {
        String l = String.format(Locale.ROOT, fmt, args);
        System.out.println("[StoreBench] " + l);
        sb.append(l).append('\n');
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) Files.deleteIfExists(p);
    }
}
