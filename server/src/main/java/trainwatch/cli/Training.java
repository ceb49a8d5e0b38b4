package trainwatch.cli;

import java.util.function.BooleanSupplier;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.ResumePoint;
import trainwatch.train.TrainOutcome;

/** The trainer as the command sees it (trainwatch.train.Trainer.train); tests pass their own. */
@FunctionalInterface
interface Training {
    TrainOutcome train(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stopRequested) throws Exception;

    /** Continues from a checkpoint; a stand-in that cannot resume says so (the run ends failed with this reason). */
    default TrainOutcome resume(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stopRequested,
                                ResumePoint from) throws Exception {
        throw new UnsupportedOperationException("this trainer cannot resume");
    }
}
