package trainwatch.config;

import java.util.List;

/**
 * A validated run config (docs/config.md). Built only by
 * {@link ConfigParser}, which applies the documented defaults and rejects
 * unknown keys; every instance is valid.
 */
public record RunConfig(
        String name,
        String dataset,          // spiral | shapes | mnist | fashion-mnist
        ModelConfig model,
        OptimizerConfig optimizer,
        ScheduleConfig schedule,
        double l2,
        double dropout,          // probability of dropping a unit, 0 = off
        int batchSize,
        int epochs,
        long seed,
        int trainSize,
        int valSize,
        int evalEvery,           // iterations between val_loss/val_acc
        int filtersEvery,        // iterations between first-layer snapshots
        int maxIterations,       // 0 = no cap beyond epochs
        int stopOnDivergence,    // evaluations in a row with an exploded loss that end the run as diverged; 0 = off
        int keepCheckpoints,     // checkpoints.keep: newest epoch checkpoints kept (besides final and best)
        double averagingDecay,   // averaging.decay: Polyak average of the parameters, NaN = off
        Resources resources      // resources: a Kubernetes Job's cpu/memory, Resources.NONE = not set
) {
    public RunConfig {
        if (resources == null) resources = Resources.NONE;
    }

    /** No resources key (every executor but kubernetes ignores it anyway). */
    public RunConfig(String name, String dataset, ModelConfig model, OptimizerConfig optimizer, ScheduleConfig schedule,
                     double l2, double dropout, int batchSize, int epochs, long seed, int trainSize, int valSize,
                     int evalEvery, int filtersEvery, int maxIterations, int stopOnDivergence, int keepCheckpoints, double averagingDecay) {
        this(name, dataset, model, optimizer, schedule, l2, dropout, batchSize, epochs, seed, trainSize, valSize,
                evalEvery, filtersEvery, maxIterations, stopOnDivergence, keepCheckpoints, averagingDecay, Resources.NONE);
    }

    /** No parameter averaging (the default). */
    public RunConfig(String name, String dataset, ModelConfig model, OptimizerConfig optimizer, ScheduleConfig schedule,
                     double l2, double dropout, int batchSize, int epochs, long seed, int trainSize, int valSize,
                     int evalEvery, int filtersEvery, int maxIterations, int stopOnDivergence, int keepCheckpoints) {
        this(name, dataset, model, optimizer, schedule, l2, dropout, batchSize, epochs, seed, trainSize, valSize,
                evalEvery, filtersEvery, maxIterations, stopOnDivergence, keepCheckpoints, Double.NaN);
    }

    /** Whether the trainer keeps a running average of the parameters (config key {@code averaging}). */
    public boolean averaging() {
        return !Double.isNaN(averagingDecay);
    }

    /** The same config with another seed (a seeds ensemble's members differ only in it). */
    public RunConfig withSeed(long newSeed) {
        return new RunConfig(name, dataset, model, optimizer, schedule, l2, dropout, batchSize, epochs, newSeed, trainSize,
                valSize, evalEvery, filtersEvery, maxIterations, stopOnDivergence, keepCheckpoints, averagingDecay, resources);
    }

    public static final int DEFAULT_KEEP_CHECKPOINTS = 3;

    /** A config without a divergence stop (the default) and the default checkpoint retention. */
    public RunConfig(String name, String dataset, ModelConfig model, OptimizerConfig optimizer, ScheduleConfig schedule,
                     double l2, double dropout, int batchSize, int epochs, long seed, int trainSize, int valSize,
                     int evalEvery, int filtersEvery, int maxIterations) {
        this(name, dataset, model, optimizer, schedule, l2, dropout, batchSize, epochs, seed, trainSize, valSize,
                evalEvery, filtersEvery, maxIterations, 0, DEFAULT_KEEP_CHECKPOINTS);
    }

    /** The default checkpoint retention. */
    public RunConfig(String name, String dataset, ModelConfig model, OptimizerConfig optimizer, ScheduleConfig schedule,
                     double l2, double dropout, int batchSize, int epochs, long seed, int trainSize, int valSize,
                     int evalEvery, int filtersEvery, int maxIterations, int stopOnDivergence) {
        this(name, dataset, model, optimizer, schedule, l2, dropout, batchSize, epochs, seed, trainSize, valSize,
                evalEvery, filtersEvery, maxIterations, stopOnDivergence, DEFAULT_KEEP_CHECKPOINTS);
    }

    /** model.type mlp: hidden sizes; cnn: filters, kernel, then dense hidden sizes. */
    public record ModelConfig(String type, List<Integer> hidden, int filters, int kernel) {}

    /** type: sgd | momentum | nesterov | adagrad | rmsprop | adam | lbfgs. */
    public record OptimizerConfig(String type, double lr, double momentum, double beta1, double beta2, double eps, double decay) {}

    /** type: constant | step | exponential | inverse | plateau; unit: iteration | epoch. */
    public record ScheduleConfig(String type, double factor, int every, String unit, double gamma, double power, int patience, double minLr) {}
}
