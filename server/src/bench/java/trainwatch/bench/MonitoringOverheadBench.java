package trainwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.train.MiniBatches;
import trainwatch.train.Models;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/**
 * Monitoring overhead (issue 2, docs/benchmarks.md "Monitoring overhead"):
 * the shapes CNN (conv 5x5x8 -> pool -> dense 64 -> softmax 10), batch 64,
 * l2 on (so reg_loss is computed too), every per-iteration metric every
 * iteration, filters every 25, written to the real run store and flushed each
 * step; against a bare DL4J fit of the same model on the same batches, and
 * DL4J's StatsListener reporting every iteration into its in-memory storage.
 *
 * Interleaved step by step: while the trainer runs, its progress callback
 * (called once per iteration) fits one batch on a bare copy of the network
 * and one on a copy with the StatsListener, so the three arms' iterations run
 * back to back under the same machine load (a shared 2-core box drifts far
 * more between whole runs than the 3% being measured). A trainwatch
 * iteration is the gap between two callbacks (batch building, fit, listener,
 * store write, flush); the other two are timed around their batch building +
 * fit. The first WARM iterations of each round and the last one (the
 * trainer's final validation pass sits in it: a user-chosen extra forward
 * pass, the same in any tool) are left out.
 *
 * A fourth arm is the same trainer with Polyak averaging on (config key averaging, decay 0.999:
 * one multiply-add of the parameter vector per step). It runs in its own thread and takes turns
 * with the first trainer step by step (a hand-off after each iteration), so it too sees the same
 * load; its iteration is timed from its resumption to its next callback, in its own thread.
 */
@Tag("bench")
class MonitoringOverheadBench {
    static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    static final int ITERATIONS = Integer.getInteger("bench.iterations", 80);
    static final int WARM = 5;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    @org.junit.jupiter.api.Timeout(value = 90, unit = java.util.concurrent.TimeUnit.MINUTES) // the default 5 min would interrupt it
    void monitoring_overhead_against_bare_fit_and_dl4j_stats_listener() throws Exception {
        RunConfig cfg = new RunConfig("bench", "shapes", new ModelConfig("cnn", List.of(64), 8, 5),
                new OptimizerConfig("adam", 0.001, 0.9, 0.9, 0.999, 1e-8, 0.95),
                new ScheduleConfig("constant", 0.5, 1, "iteration", 0.9, 1, 3, 0),
                1e-4, 0, 64, 1, 42, 6000, 1000, 1_000_000, 25, ITERATIONS);
        Dataset data = Datasets.load(cfg);
        RunStore store = new RunStore(dir.resolve("runs"), Clock.systemUTC());

        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Arm> arms = List.of(new Arm("bare DL4J fit"), new Arm("trainwatch listener + store"), new Arm("DL4J StatsListener, every iteration"),
                new Arm("trainwatch + Polyak averaging (decay 0.999)"));
        RunConfig averaged = withAveraging(cfg, 0.999);
        for (int round = -1; round < ROUNDS; round++) { // round -1 warms the JIT and native code
            Timeline[] t = interleaved(cfg, averaged, data, store);
            if (round >= 0) for (int i = 0; i < arms.size(); i++) arms.get(i).add(t[i]);
        }

        Arm bare = arms.get(0);
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "rounds %d x %d iterations (arms interleaved step by step; first %d and the last of each round skipped), OMP_NUM_THREADS=%s, "
                        + "%d cores, load average %.1f before, %.1f after%n",
                ROUNDS, ITERATIONS, WARM, System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors(),
                loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.append("| arm | mean ms/iter (round means min-max) | median ms/iter | CPU ms/iter (thread) | ratio mean (per round min-max) | ratio CPU (per round min-max) |\n");
        report.append("|---|---|---|---|---|---|\n");
        for (Arm a : arms) {
            double[] wallRatios = a.roundRatios(a.wall, bare.wall), cpuRatios = a.roundRatios(a.cpu, bare.cpu);
            report.append(String.format(Locale.ROOT, "| %s | %.2f (%.2f-%.2f) | %.2f | %.2f | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) |%n",
                    a.name, a.mean(), a.minRoundMean(), a.maxRoundMean(), a.median(), a.cpuMean(),
                    a.mean() / bare.mean(), min(wallRatios), max(wallRatios),
                    a.cpuMean() / bare.cpuMean(), min(cpuRatios), max(cpuRatios)));
        }
        Arm tw = arms.get(1), avg = arms.get(3);
        double[] avgWall = avg.roundRatios(avg.wall, tw.wall), avgCpu = avg.roundRatios(avg.cpu, tw.cpu);
        report.append(String.format(Locale.ROOT, "%nPolyak averaging / trainwatch without it: mean %.3f (per round %.3f-%.3f), median %.3f, CPU %.3f (per round %.3f-%.3f)%n",
                avg.mean() / tw.mean(), min(avgWall), max(avgWall), avg.median() / tw.median(), avg.cpuMean() / tw.cpuMean(), min(avgCpu), max(avgCpu)));
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("bench.out", "target/monitoring-overhead.md")), report.toString());
        assertTrue(bare.mean() > 0);
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElseThrow();
    }

    static RunConfig withAveraging(RunConfig cfg, double decay) throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) trainwatch.json.Json.MAPPER.readTree(ConfigParser.toJson(cfg));
        tree.putObject("averaging").put("decay", decay);
        RunConfig out = ConfigParser.parse(tree.toString());
        assertEquals(decay, out.averagingDecay());
        return out;
    }

    /**
     * One round: the full trainer on the real store, with a bare and a StatsListener iteration after each of its own,
     * then a hand-off to the averaging trainer (another thread) for one iteration of its own.
     */
    private Timeline[] interleaved(RunConfig cfg, RunConfig averagedCfg, Dataset data, RunStore store) throws Exception {
        Timeline trainwatch = new Timeline(), bare = new Timeline(), stats = new Timeline(), averaged = new Timeline();
        Peer plain = new Peer(cfg, data, null);
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Peer withStats = new Peer(cfg, data, new StatsListener(storage, null,
                new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(1).build(), null, null));
        java.util.concurrent.Semaphore toAveraged = new java.util.concurrent.Semaphore(0), toPlain = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.atomic.AtomicBoolean plainDone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> averagedFailed = new java.util.concurrent.atomic.AtomicReference<>();
        String avgId = store.newId();
        store.create(avgId, ConfigParser.toJson(averagedCfg), RunStatus.QUEUED, "");
        Thread avgThread = new Thread(() -> {
            long[][] avgEnd = new long[1][];
            try (RunWriter out = store.openWriter(avgId)) {
                toAveraged.acquire();
                TrainOutcome o = Trainer.train(averagedCfg, data, out, (step, total, epoch, loss, acc, eps) -> {
                    long[] now = now();
                    if (avgEnd[0] != null) averaged.add(now[0] - avgEnd[0][0], now[1] - avgEnd[0][1]);
                    if (!plainDone.get()) {
                        toPlain.release();
                        toAveraged.acquireUninterruptibly();
                    }
                    avgEnd[0] = now();
                }, () -> false);
                if (o.status() != RunStatus.FINISHED) throw new AssertionError(o.reason());
            } catch (Throwable e) {
                averagedFailed.set(e);
            } finally {
                toPlain.release(); // never leave the plain trainer waiting
            }
        }, "averaging-trainer");
        avgThread.start();
        String id = store.newId();
        store.create(id, ConfigParser.toJson(cfg), RunStatus.QUEUED, "");
        long[][] end = new long[1][];
        try (RunWriter out = store.openWriter(id)) {
            TrainOutcome outcome = Trainer.train(cfg, data, out, (step, total, epoch, loss, acc, eps) -> {
                long[] now = now();
                if (end[0] != null) trainwatch.add(now[0] - end[0][0], now[1] - end[0][1]);
                plain.step(bare);
                withStats.step(stats);
                if (avgThread.isAlive()) { // one iteration of the averaging trainer, then back here
                    toAveraged.release();
                    toPlain.acquireUninterruptibly();
                }
                end[0] = now();
            }, () -> false);
            assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        } finally {
            plainDone.set(true);
            toAveraged.release();
            avgThread.join();
        }
        if (averagedFailed.get() != null) throw new AssertionError("the averaging trainer failed", averagedFailed.get());
        String session = storage.listSessionIDs().get(0);
        assertEquals(cfg.maxIterations(), storage.getNumUpdateRecordsFor(session), "StatsListener reported every iteration");
        return new Timeline[] {bare, trainwatch, stats, averaged};
    }

    private static long[] now() {
        return new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime()};
    }

    /** The same model and batches driven by plain DL4J fit calls, optionally with a listener. */
    static final class Peer {
        final MultiLayerNetwork net;
        final MiniBatches batches;
        int i;

        Peer(RunConfig cfg, Dataset data, StatsListener listener) {
            Nd4j.getRandom().setSeed(cfg.seed());
            net = Models.build(cfg, data);
            if (listener != null) net.setListeners(listener);
            batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
            batches.shuffle();
        }

        void step(Timeline t) {
            long[] a = now();
            net.fit(batches.batch(i++ % batches.perEpoch()).data());
            long[] b = now();
            t.add(b[0] - a[0], b[1] - a[1]);
        }
    }

    /** Wall and thread-CPU time of each iteration, in order. */
    static final class Timeline {
        final List<long[]> durations = new ArrayList<>();

        void add(long wallNanos, long cpuNanos) {
            durations.add(new long[] {wallNanos, cpuNanos});
        }

        /** After the warm-up, without the last iteration. */
        double[] ms(int column) {
            return durations.subList(WARM, durations.size() - 1).stream().mapToDouble(d -> d[column] / 1e6).toArray();
        }
    }

    static final class Arm {
        final String name;
        final List<double[]> wall = new ArrayList<>();
        final List<double[]> cpu = new ArrayList<>();

        Arm(String name) {
            this.name = name;
        }

        void add(Timeline t) {
            wall.add(t.ms(0));
            cpu.add(t.ms(1));
        }

        double mean() {
            return wall.stream().flatMapToDouble(Arrays::stream).average().orElseThrow();
        }

        double cpuMean() {
            return cpu.stream().flatMapToDouble(Arrays::stream).average().orElseThrow();
        }

        double median() {
            double[] all = wall.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
            return all[all.length / 2];
        }

        /** This arm's mean over the other arm's mean, round by round (the arms of a round ran back to back). */
        double[] roundRatios(List<double[]> mine, List<double[]> other) {
            double[] r = new double[mine.size()];
            for (int i = 0; i < r.length; i++)
                r[i] = Arrays.stream(mine.get(i)).average().orElseThrow() / Arrays.stream(other.get(i)).average().orElseThrow();
            return r;
        }

        double minRoundMean() {
            return wall.stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).min().orElseThrow();
        }

        double maxRoundMean() {
            return wall.stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).max().orElseThrow();
        }
    }
}
