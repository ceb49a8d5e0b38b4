package trainwatch.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.client.TrainwatchClient;
import trainwatch.client.TrainwatchListener;
import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.http.TrainwatchServer;
import trainwatch.train.MiniBatches;
import trainwatch.train.Models;

/**
 * TrainwatchListener overhead (issue 10, docs/benchmarks.md "TrainwatchListener overhead"): the shapes CNN
 * (conv 5x5x8 -> pool -> dense 64 -> softmax 10), batch 64, adam, l2 1e-4, trained with plain DL4J fit calls
 * three ways on the same batches: bare, with the client module's TrainwatchListener (every tag every
 * iteration, conv filters every 25, sent in batches from its background thread to a server on loopback
 * in this JVM), and with DL4J's StatsListener reporting every iteration into its in-memory storage.
 * Interleaved step by step (the arms' order rotates every iteration), so all three see the same load.
 * Wall time per fit by System.nanoTime, CPU of the training thread by ThreadMXBean (the listener's sender
 * thread is not in that column: it shows in wall time when the cores are busy). First WARM iterations of
 * each round left out.
 * mvn -B -o -Pbench -pl server test -Dtest=ListenerOverheadBench [-Dbench.rounds=5 -Dbench.iterations=80]
 */
@Tag("bench")
class ListenerOverheadBench {
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int ITERATIONS = Integer.getInteger("bench.iterations", 80);
    static final int WARM = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    @org.junit.jupiter.api.Timeout(value = 90, unit = java.util.concurrent.TimeUnit.MINUTES)
    void trainwatch_listener_against_bare_fit_and_dl4j_stats_listener() throws Exception {
        RunConfig cfg = new RunConfig("bench", "shapes", new ModelConfig("cnn", List.of(64), 8, 5),
                new OptimizerConfig("adam", 0.001, 0.9, 0.9, 0.999, 1e-8, 0.95),
                new ScheduleConfig("constant", 0.5, 1, "iteration", 0.9, 1, 3, 0),
                1e-4, 0, 64, 1, 42, 6000, 1000, 1_000_000, 25, ITERATIONS);
        Dataset data = Datasets.load(cfg);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String[] names = {"bare DL4J fit", "TrainwatchListener (to a server on loopback)", "DL4J StatsListener, every iteration"};
        List<List<double[]>> wall = new ArrayList<>(), cpu = new ArrayList<>();
        for (int a = 0; a < 3; a++) {
            wall.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        try (TrainwatchServer server = new TrainwatchServer(TrainwatchServer.Options.defaults().withPort(0).withRuns(dir.resolve("runs"))).start()) {
            String url = "http://127.0.0.1:" + server.port();
            for (int round = -1; round < ROUNDS; round++) { // round -1 warms the JIT and native code
                TrainwatchListener tw = new TrainwatchListener(TrainwatchClient.builder(url, "overhead-" + round)
                        .spoolDir(dir.resolve("spool")).clientName("ListenerOverheadBench").start(), 25);
                InMemoryStatsStorage storage = new InMemoryStatsStorage();
                Peer[] peers = {new Peer(cfg, data, null), new Peer(cfg, data, tw),
                        new Peer(cfg, data, new StatsListener(storage, null, new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(1).build(), null, null))};
                double[][] w = new double[3][ITERATIONS], c = new double[3][ITERATIONS];
                for (int i = 0; i < ITERATIONS; i++) {
                    for (int k = 0; k < 3; k++) {
                        int a = (i + k) % 3;
                        long[] t = peers[a].step();
                        w[a][i] = t[0] / 1e6;
                        c[a][i] = t[1] / 1e6;
                    }
                }
                assertTrue(tw.finish(), "the listener delivered its run: " + tw.client().error());
                if (round < 0) continue;
                for (int a = 0; a < 3; a++) {
                    wall.get(a).add(Arrays.copyOfRange(w[a], WARM, ITERATIONS));
                    cpu.get(a).add(Arrays.copyOfRange(c[a], WARM, ITERATIONS));
                }
            }
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "rounds %d x %d iterations (arms interleaved step by step, order rotating; first %d of each round skipped), OMP_NUM_THREADS=%s, %d cores, "
                        + "load average %.1f before, %.1f after%n", ROUNDS, ITERATIONS, WARM, System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(), loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.append("| arm | mean ms/iter | median ms/iter | CPU ms/iter (training thread) | ratio mean (per round min-max) | ratio median | ratio CPU (per round min-max) |\n");
        report.append("|---|---|---|---|---|---|---|\n");
        for (int a = 0; a < 3; a++) {
            double[] rw = ratios(wall.get(a), wall.get(0)), rc = ratios(cpu.get(a), cpu.get(0));
            report.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.3f (%.3f-%.3f) | %.3f | %.3f (%.3f-%.3f) |%n", names[a],
                    mean(wall.get(a)), median(wall.get(a)), mean(cpu.get(a)), mean(wall.get(a)) / mean(wall.get(0)),
                    Arrays.stream(rw).min().orElseThrow(), Arrays.stream(rw).max().orElseThrow(), median(wall.get(a)) / median(wall.get(0)),
                    mean(cpu.get(a)) / mean(cpu.get(0)), Arrays.stream(rc).min().orElseThrow(), Arrays.stream(rc).max().orElseThrow()));
        }
        System.out.println("\n===== RESULTS =====\n" + report);
        Files.writeString(Path.of(System.getProperty("bench.out", "target/listener-overhead.md")), report.toString());
    }

    private static double mean(List<double[]> rounds) {
        return rounds.stream().flatMapToDouble(Arrays::stream).average().orElseThrow();
    }

    private static double median(List<double[]> rounds) {
        double[] all = rounds.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return all[all.length / 2];
    }

    /** Round by round: this arm's mean over the bare arm's mean. */
    private static double[] ratios(List<double[]> mine, List<double[]> bare) {
        double[] r = new double[mine.size()];
        for (int i = 0; i < r.length; i++) r[i] = Arrays.stream(mine.get(i)).average().orElseThrow() / Arrays.stream(bare.get(i)).average().orElseThrow();
        return r;
    }

    /** The same model and batches, driven by plain fit calls, optionally with a listener. */
    static final class Peer {
        final MultiLayerNetwork net;
        final MiniBatches batches;
        int i;

        Peer(RunConfig cfg, Dataset data, TrainingListener listener) {
            Nd4j.getRandom().setSeed(cfg.seed());
            net = Models.build(cfg, data);
            if (listener != null) net.setListeners(listener);
            batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
            batches.shuffle();
        }

        /** {wall ns, thread CPU ns} of one fit, batch building included (as for every arm). */
        long[] step() {
            long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
            net.fit(batches.batch(i++ % batches.perEpoch()).data());
            return new long[] {System.nanoTime() - w0, THREADS.getCurrentThreadCpuTime() - c0};
        }
    }
}
