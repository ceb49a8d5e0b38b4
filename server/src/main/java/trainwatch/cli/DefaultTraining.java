package trainwatch.cli;

import java.util.List;
import java.util.function.BooleanSupplier;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.lab.AlertRules;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/** trainwatch.train.Trainer.train, with the lab's alert rules watching every scalars record. */
final class DefaultTraining implements Training {
    static final DefaultTraining INSTANCE = new DefaultTraining();

    @Override
    public TrainOutcome train(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stop) {
        return Trainer.train(config, data, writer, progress, stop, List.of(AlertRules.forConfig(config)));
    }
}
