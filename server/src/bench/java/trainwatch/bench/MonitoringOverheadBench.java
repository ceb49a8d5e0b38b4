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
 * Arms interleaved per round. Per-iteration time = the gap between
 * consecutive iteration ends (batch building, fit, listener, writes); the
 * first WARM iterations of each arm's round are skipped; validation runs only
 * after the last timed iteration (it is a user-chosen extra forward pass,
 * the same in any tool).
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
    void monitoring_overhead_against_bare_fit_and_dl4j_stats_listener() throws Exception {
        RunConfig cfg = new RunConfig("bench", "shapes", new ModelConfig("cnn", List.of(64), 8, 5),
                new OptimizerConfig("adam", 0.001, 0.9, 0.9, 0.999, 1e-8, 0.95),
                new ScheduleConfig("constant", 0.5, 1, "iteration", 0.9, 1, 3, 0),
                1e-4, 0, 64, 1, 42, 6000, 1000, 1_000_000, 25, ITERATIONS);
        Dataset data = Datasets.load(cfg);
        RunStore store = new RunStore(dir.resolve("runs"), Clock.systemUTC());

        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Arm> arms = List.of(new Arm("bare DL4J fit"), new Arm("trainwatch listener + store"), new Arm("DL4J StatsListener, every iteration"));
        for (int round = -1; round < ROUNDS; round++) { // round -1 warms the JIT and native code
            for (Arm arm : arms) {
                Timeline t = switch (arm.name.charAt(0)) {
                    case 'b' -> bare(cfg, data, false);
                    case 't' -> trainwatch(cfg, data, store);
                    default -> bare(cfg, data, true);
                };
                if (round >= 0) arm.add(t);
            }
        }

        Arm bare = arms.get(0);
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "rounds %d x %d iterations (first %d and the last of each skipped), OMP_NUM_THREADS=%s, "
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

    /** The full trainer on the real store; iteration ends seen through the progress observer. */
    private Timeline trainwatch(RunConfig cfg, Dataset data, RunStore store) {
        String id = store.newId();
        store.create(id, ConfigParser.toJson(cfg), RunStatus.QUEUED, "");
        Timeline t = new Timeline();
        try (RunWriter out = store.openWriter(id)) {
            TrainOutcome outcome = Trainer.train(cfg, data, out, (step, total, epoch, loss, acc, eps) -> t.mark(), () -> false);
            assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        }
        return t;
    }

    /** The same model and batches with DL4J's fit alone, or with its StatsListener reporting every iteration. */
    private Timeline bare(RunConfig cfg, Dataset data, boolean statsListener) {
        Nd4j.getRandom().setSeed(cfg.seed());
        MultiLayerNetwork net = Models.build(cfg, data);
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        if (statsListener)
            net.setListeners(new StatsListener(storage, null,
                    new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(1).build(), null, null));
        MiniBatches batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
        batches.shuffle();
        Timeline t = new Timeline();
        for (int i = 0; i < cfg.maxIterations(); i++) {
            net.fit(batches.batch(i % batches.perEpoch()).data());
            t.mark();
        }
        if (statsListener) {
            String session = storage.listSessionIDs().get(0);
            assertEquals(cfg.maxIterations(), storage.getNumUpdateRecordsFor(session), "StatsListener reported every iteration");
        }
        return t;
    }

    /** Wall and thread-CPU time at each iteration end. */
    static final class Timeline {
        final List<long[]> marks = new ArrayList<>();

        void mark() {
            marks.add(new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime()});
        }

        /** Gaps after the warm-up, without the last one (the trainer's final validation happens inside it). */
        double[] gapsMs(int column) {
            double[] g = new double[marks.size() - 2 - WARM];
            for (int i = WARM + 1; i < marks.size() - 1; i++) g[i - WARM - 1] = (marks.get(i)[column] - marks.get(i - 1)[column]) / 1e6;
            return g;
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
            wall.add(t.gapsMs(0));
            cpu.add(t.gapsMs(1));
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
