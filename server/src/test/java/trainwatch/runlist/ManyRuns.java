package trainwatch.runlist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * Writes a runs/ directory of many small finished runs through the store's own writer API
 * (not copies of one run): each has its own name, config, created time, status and a short
 * history of loss and val_acc (two tags: fewer files to write), so sorting and filtering have something to tell apart.
 */
public final class ManyRuns {
    public static final String[] OPTIMIZERS = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"};
    static final RunStatus[] FINAL = {RunStatus.FINISHED, RunStatus.FINISHED, RunStatus.FINISHED, RunStatus.FINISHED, RunStatus.FINISHED,
            RunStatus.FINISHED, RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.STOPPED, RunStatus.INTERRUPTED};
    public static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    public static final int STEPS = 20;

    private ManyRuns() {}

    /** Removes a generated tree (tests call it when done: tmpfs is memory). */
    public static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p)) return;
        try (java.util.stream.Stream<Path> w = Files.walk(p)) {
            for (Path q : (Iterable<Path>) w.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        }
    }

    /** Each generating thread's own "now" (the run it writes is created at its own time). */
    static final class ThreadClock extends Clock {
        final ThreadLocal<Long> now = ThreadLocal.withInitial(() -> START);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public long millis() {
            return now.get();
        }
    }

    /** A fresh directory on tmpfs when the machine has one (the writer fsyncs: 10,000 runs on a disk would take minutes). */
    public static Path freshDir(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
    }

    /** Run i: id "gen-<6 digits>", name "<optimizer>-lr<..>-<i>", created one minute after run i-1; returns the ids, oldest first. */
    public static List<String> generate(Path root, int n) throws Exception {
        Files.createDirectories(root);
        int threads = 4; // file creation waits on the kernel more than on the CPU
        ThreadClock clock = new ThreadClock();
        RunStore store = new RunStore(root, clock);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t;
                work.add(pool.submit(() -> {
                    for (int i = from; i < n; i += threads) write(store, clock, i);
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(id(i));
        return ids;
    }

    public static String id(int i) {
        return String.format("gen-%06d", i);
    }

    public static String name(int i) {
        return OPTIMIZERS[i % OPTIMIZERS.length] + "-lr" + (1 + i % 7) + "e-3-" + i;
    }

    public static RunStatus status(int i) {
        return FINAL[(i / 3) % FINAL.length];
    }

    public static long created(int i) {
        return START + i * 60_000L;
    }

    /** The best val_acc run i reaches (at step STEPS - 1): distinct per run, so sorting by it has one right answer. */
    public static double bestValAcc(int i) {
        return 0.5 + (i * 7919L % 10_007) / 25_000.0;
    }

    static void write(RunStore store, ThreadClock clock, int i) throws IOException {
        clock.now.set(created(i));
        String id = id(i);
        String config = "{\"name\":\"" + name(i) + "\",\"dataset\":\"spiral\",\"optimizer\":{\"type\":\"" + OPTIMIZERS[i % OPTIMIZERS.length]
                + "\",\"lr\":" + (1 + i % 7) / 1000.0 + "},\"batchSize\":300,\"epochs\":" + STEPS + ",\"trainSize\":300}";
        store.create(id, config, RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            double best = bestValAcc(i);
            for (int s = 0; s < STEPS; s++) {
                double loss = 1.1 * Math.exp(-s / 8.0) + (i % 13) / 100.0;
                if (s % 5 == 4) {
                    double va = best * (s + 1) / STEPS;
                    w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {loss, va});
                } else {
                    w.scalars(s, new String[] {"loss"}, new double[] {loss});
                }
            }
            RunStatus end = status(i);
            w.status(end, end == RunStatus.FINISHED ? "" : "generated " + end.wire());
        }
    }
}
