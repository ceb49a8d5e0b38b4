package trainwatch.search;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Spiral;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.RunMonitor;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/**
 * A real DL4J objective for the search benchmark: one trial trains the project's spiral MLP
 * in process (Trainer + an in-memory writer) with a config made of a base and the sampled
 * values, checked by the run config parser, and is worth its best val_acc. The validation
 * set is evaluated once per epoch (evalEvery = iterations per epoch); an {@link EarlyStop}
 * hears each epoch's val_acc, the way a sweep's ASHA does, and a stop ends the trial before
 * the next batch. Data and initialisation use one fixed seed, so a trial is a deterministic
 * function of its values.
 */
final class SpiralObjective {
    final int trainSize, valSize, batchSize, epochs;
    final long seed;
    private final Dataset data;
    private final Path checkpoints;

    SpiralObjective(int trainSize, int valSize, int batchSize, int epochs, long seed, Path checkpoints) {
        this.trainSize = trainSize;
        this.valSize = valSize;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
        this.data = Spiral.generate(trainSize, valSize, seed);
        this.checkpoints = checkpoints;
    }

    int perEpoch() {
        return (trainSize + batchSize - 1) / batchSize;
    }

    /**
     * What one trial gave: its value (best val_acc; NaN if it failed or diverged), the epochs it reached (for a pruned
     * trial: its last rung), the epochs of compute it used (iterations / iterations per epoch), pruned or failed.
     */
    record Result(double value, int epochs, double spent, boolean pruned, boolean failed) {
        Trial trial(Assignment a) {
            if (failed) return Trial.failed(a);
            return pruned ? Trial.pruned(a, value, epochs) : Trial.complete(a, value);
        }
    }

    /** The run config for one assignment: spiral, momentum SGD, the sampled values put in by path. */
    RunConfig config(Assignment a) {
        double lr = num(a, "optimizer.lr", 0.1);
        double momentum = num(a, "optimizer.momentum", 0.9);
        double l2 = num(a, "l2", 1e-3);
        long hidden = (long) num(a, "model.hidden", 100);
        String json = String.format(Locale.ROOT,
                "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [%d]},"
                        + " \"optimizer\": {\"type\": \"momentum\", \"lr\": %s, \"momentum\": %s}, \"l2\": %s,"
                        + " \"batchSize\": %d, \"epochs\": %d, \"seed\": %d, \"trainSize\": %d, \"valSize\": %d, \"evalEvery\": %d}",
                hidden, lr, momentum, l2, batchSize, epochs, seed, trainSize, valSize, perEpoch());
        try {
            return ConfigParser.parse(json);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
        }
    }

    private static double num(Assignment a, String path, double dflt) {
        Object v = a.get(path);
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    Result run(Assignment a, String trialId, EarlyStop stop) {
        RunConfig cfg = config(a);
        int perEpoch = perEpoch();
        double[] best = {Double.NEGATIVE_INFINITY};
        int[] epochsDone = {0};
        boolean[] pruned = {false};
        RunMonitor monitor = (step, tags, values, writer) -> {
            if ((step + 1) % perEpoch != 0) return;
            for (int i = 0; i < tags.length; i++) {
                if (!tags[i].equals("val_acc")) continue;
                double v = values[i];
                if (Double.isFinite(v) && v > best[0]) best[0] = v;
                int epoch = (int) ((step + 1) / perEpoch);
                epochsDone[0] = epoch;
                if (epoch < epochs && stop.report(trialId, epoch, v).stop()) pruned[0] = true;
            }
        };
        MemoryRunWriter out = new MemoryRunWriter(checkpoints);
        TrainOutcome o = Trainer.train(cfg, data, out, ProgressObserver.NONE, () -> pruned[0], List.of(monitor));
        cleanUp();
        if (o.status() == RunStatus.FAILED) throw new IllegalStateException("trial " + trialId + " failed: " + o.reason());
        boolean ok = o.status() == RunStatus.FINISHED || (pruned[0] && o.status() == RunStatus.STOPPED);
        double spent = (double) o.iterations() / perEpoch;
        if (!ok || !Double.isFinite(best[0])) return new Result(Double.NaN, epochsDone[0], spent, false, true);
        return new Result(best[0], epochsDone[0], spent, pruned[0], false);
    }

    /**
     * How a long run in one JVM keeps its cost per trial flat (TrialDriftBench; docs/benchmarks.md). Each
     * trial leaves its ND4J arrays' native memory to be freed only when the garbage collector finds
     * their Java objects unreachable. The Java heap barely grows (~26 MB live), so the collector
     * hardly ever runs, native memory piles up, and once it nears JavaCPP's limit (-Xmx) every
     * allocation calls System.gc() and sleeps: the old runs slowed down repeat after repeat.
     * Destroying the thread's workspaces after every trial (tried before) makes ND4J call
     * System.gc() once per trial: a full collection per trial, 0.3-0.5 s on the loaded box.
     * A collection every {@code GC_EVERY} trials keeps native memory bounded at a fraction of that.
     * {@code -Dsearch.bench.cleanup=gc} (default), {@code workspaces} (the old per-trial destroy) or {@code none}.
     */
    static final String CLEANUP = System.getProperty("search.bench.cleanup", "gc");
    static final int GC_EVERY = Integer.getInteger("search.bench.gcEvery", 25);
    private static int trialsRun;

    private static void cleanUp() {
        trialsRun++;
        switch (CLEANUP) {
            case "workspaces" -> Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            case "gc" -> {
                if (trialsRun % GC_EVERY == 0) System.gc();
            }
            default -> { }
        }
    }

    static Assignment assignment(Map<String, Object> values) {
        return new Assignment(values);
    }
}
