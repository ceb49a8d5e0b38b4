package trainwatch.train;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * Trains one run and records everything about it through a {@link RunWriter}:
 * status running at the start, then per-step scalars, filter snapshots,
 * sanity checks, alerts, checkpoints, and a final status (finished, stopped,
 * diverged or failed, with a reason). Never throws: an exception ends the
 * run failed with the exception as the reason.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private Trainer() {}

    public static TrainOutcome train(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress,
                                     BooleanSupplier stopRequested) {
        return train(cfg, data, out, progress, stopRequested, List.of());
    }

    /** {@code monitors} see every scalars record right after it is written (the lab's alert rules). */
    public static TrainOutcome train(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress,
                                     BooleanSupplier stopRequested, List<RunMonitor> monitors) {
        TrainingSession session = null;
        try {
            out.status(RunStatus.RUNNING, "");
            out.flush();
            session = new TrainingSession(cfg, data, out, progress == null ? ProgressObserver.NONE : progress,
                    stopRequested == null ? () -> false : stopRequested, monitors == null ? List.of() : monitors);
            TrainOutcome outcome = session.run();
            out.status(outcome.status(), outcome.reason());
            out.flush();
            return outcome;
        } catch (Throwable t) {
            // VirtualMachineError included: a caught OOM still gets a readable final status
            String reason = reason(t);
            // an unsupported optimizer is the user's config, not a bug: its one-line reason says all there is
            if (t instanceof Optimizers.UnsupportedOptimizerException) LOG.error("training failed: {}", reason);
            else LOG.error("training failed: {}", reason, t);
            long iterations = session == null ? 0 : session.iterations();
            try {
                out.status(RunStatus.FAILED, reason);
                out.flush();
            } catch (RuntimeException e) {
                LOG.error("could not record the failed status", e);
            }
            return new TrainOutcome(RunStatus.FAILED, reason, iterations);
        }
    }

    static String reason(Throwable t) {
        if (t instanceof Optimizers.UnsupportedOptimizerException) return t.getMessage();
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
