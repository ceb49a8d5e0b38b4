package trainwatch.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.BooleanSupplier;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.TrainOutcome;

/** trainwatch.train.Trainer.train, looked up until the trainer lands on main (then a method reference). */
final class DefaultTraining implements Training {
    static final DefaultTraining INSTANCE = new DefaultTraining();

    @Override
    public TrainOutcome train(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stop) throws Exception {
        Method m = Class.forName("trainwatch.train.Trainer").getMethod("train",
                RunConfig.class, Dataset.class, RunWriter.class, ProgressObserver.class, BooleanSupplier.class);
        try {
            return (TrainOutcome) m.invoke(null, config, data, writer, progress, stop);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof Error er) throw er;
            throw e;
        }
    }
}
