package trainwatch.lab;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.data.Dataset;
import trainwatch.train.Models;

/** The run's config turned into what each check needs, built by the trainer's own model factory. */
final class CheckModels {
    static final int OVERFIT_EXAMPLES = 20;
    static final int GRADIENT_EXAMPLES = 4;
    static final int GRADIENT_MAX_UNITS = 10;
    static final int GRADIENT_MAX_FILTERS = 2;
    /** Used for the "with regularization" pass when the config itself has no l2. */
    static final double DEFAULT_CHECK_L2 = 1e-3;

    private CheckModels() {}

    static final ScheduleConfig CONSTANT = new ScheduleConfig("constant", 1.0, 1, "epoch", 1.0, 1.0, 1, 0.0);

    /**
     * Same model and optimizer, no l2, no dropout, one full batch of 20. The
     * schedule is held constant: with one iteration per epoch an epoch-based
     * decay would shrink the learning rate every step.
     */
    static RunConfig forOverfit(RunConfig c) {
        return new RunConfig(c.name(), c.dataset(), c.model(), c.optimizer(), CONSTANT, 0.0, 0.0,
                OVERFIT_EXAMPLES, c.epochs(), c.seed(), c.trainSize(), c.valSize(), c.evalEvery(), c.filtersEvery(), c.maxIterations());
    }

    /** The model scaled down (few units and filters), dropout off, l2 as configured (or a small default), a plain updater. */
    static RunConfig forGradients(RunConfig c) {
        ModelConfig m = c.model();
        List<Integer> hidden = m.hidden() == null ? List.of() : m.hidden().stream().map(h -> Math.min(h, GRADIENT_MAX_UNITS)).toList();
        ModelConfig small = new ModelConfig(m.type(), hidden, Math.min(m.filters(), GRADIENT_MAX_FILTERS), m.kernel());
        OptimizerConfig sgd = new OptimizerConfig("sgd", 0.1, 0, 0, 0, 0, 0);
        return new RunConfig(c.name(), c.dataset(), small, sgd, CONSTANT, gradientL2(c), 0.0,
                GRADIENT_EXAMPLES, c.epochs(), c.seed(), c.trainSize(), c.valSize(), c.evalEvery(), c.filtersEvery(), c.maxIterations());
    }

    static double gradientL2(RunConfig c) {
        return c.l2() > 0 ? c.l2() : DEFAULT_CHECK_L2;
    }

    static MultiLayerNetwork build(RunConfig c, Dataset data) {
        return Models.build(c, data);
    }

    static MultiLayerNetwork buildDouble(RunConfig c, Dataset data) {
        return Models.build(c, data).convertDataType(DataType.DOUBLE);
    }
}
