package trainwatch.train;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.event.RunStatus;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunWriter;

/**
 * Trains one run and records everything about it through a {@link RunWriter}:
 * status running at the start, then per-step scalars, filter snapshots,
 * sanity checks, alerts, checkpoints, and a final status (finished, stopped,
 * diverged or failed, with a reason). Never throws: an exception ends the
 * run failed with the exception as the reason, except a full disk, which ends
 * it {@code interrupted} with "disk full: N bytes free under runs/" (its
 * records kept, resumable once space is freed).
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
        return run(cfg, data, out, progress, stopRequested, monitors, null, DiskSpace.SYSTEM);
    }

    /**
     * Continues a run from a checkpoint ({@code out} must have been opened for resume at {@code from.step()}, so the
     * records after it are superseded): the steps go on from there.
     */
    public static TrainOutcome resume(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress,
                                      BooleanSupplier stopRequested, List<RunMonitor> monitors, ResumePoint from) {
        return run(cfg, data, out, progress, stopRequested, monitors, from, DiskSpace.SYSTEM);
    }

    static TrainOutcome run(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress, BooleanSupplier stopRequested,
                            List<RunMonitor> monitors, ResumePoint from, DiskSpace.Probe disk) {
        TrainingSession session = null;
        try {
            out.status(RunStatus.RUNNING, from == null ? "" : "resumed at step " + from.step() + " from " + from.name());
            out.flush();
            session = new TrainingSession(cfg, data, out, progress == null ? ProgressObserver.NONE : progress,
                    stopRequested == null ? () -> false : stopRequested, monitors == null ? List.of() : monitors, from, disk);
            TrainOutcome outcome = session.run();
            out.status(outcome.status(), outcome.reason());
            out.flush();
            return outcome;
        } catch (Throwable t) {
            // VirtualMachineError included: a caught OOM still gets a readable final status
            long iterations = session == null ? (from == null ? 0 : from.step()) : session.iterations();
            boolean full = t instanceof DiskFullException || DiskSpace.isDiskFull(t);
            RunStatus status = full ? RunStatus.INTERRUPTED : RunStatus.FAILED;
            String reason = full ? diskFullReason(t, out, disk) : reason(t);
            if (full || t instanceof Optimizers.UnsupportedOptimizerException) LOG.error("training stopped: {}", reason);
            else LOG.error("training failed: {}", reason, t);
            try {
                out.status(status, reason);
                out.flush();
            } catch (RuntimeException e) {
                LOG.error("could not record the {} status: {}", status.wire(), e.toString());
            }
            return new TrainOutcome(status, reason, iterations);
        }
    }

    private static String diskFullReason(Throwable t, RunWriter out, DiskSpace.Probe disk) {
        if (t instanceof DiskFullException) return t.getMessage();
        try {
            java.nio.file.Path root = out.checkpointDir().toAbsolutePath().getParent().getParent();
            return DiskSpace.fullReason(Math.max(0, disk.freeBytes(root)), root);
        } catch (RuntimeException e) {
            return "disk full: " + reason(t);
        }
    }

    static String reason(Throwable t) {
        if (t instanceof Optimizers.UnsupportedOptimizerException) return t.getMessage();
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
