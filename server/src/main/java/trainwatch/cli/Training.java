package trainwatch.cli;

import java.util.function.BooleanSupplier;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.TrainOutcome;

/** The trainer as the command sees it (trainwatch.train.Trainer.train); tests pass their own. */
@FunctionalInterface
interface Training {
    TrainOutcome train(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stopRequested) throws Exception;
}
