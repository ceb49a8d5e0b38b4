package trainwatch.run;

import java.util.function.Consumer;

import trainwatch.store.DiskSpace;
import trainwatch.store.StopRequest;

/**
 * Where the heavy work runs: the server starts every run, sweep trial and check through one of these.
 * {@code local} ({@link Supervisor}: child JVMs of this jar on this machine, the default) or {@code kubernetes}
 * (run/kubernetes: one batch/v1 Job per run, docs/kubernetes.md). Callers hand over a run whose directory
 * exists with status {@code queued}; the executor starts it, watches it and writes what its trainer cannot
 * (interrupted, a forced stop, a refusal).
 */
public interface Executor extends AutoCloseable {
    /** "local" or "kubernetes", as `serve --executor` spells it. */
    String name();

    /** Server start: pick up the runs a previous server left (re-attach, settle, queue), then watch. */
    void start();

    /** A new run (status queued already on disk) is to be trained. */
    void submit(String id);

    /** Runs written by this server for a trainer elsewhere (ingest); set before {@link #start()}. */
    void remoteRuns(RemoteRuns r);

    /** Told a run's id whenever this executor changed or saw a change of its status. Must not block. */
    void onStatusChange(Consumer<String> listener);

    /** True while the run is queued here or has a trainer this executor knows of. */
    boolean isActive(String id);

    /** Waits until nothing of a run whose final status is written is active any more; false on timeout. */
    boolean awaitGone(String id, long timeoutMs);

    /** Ends the run as {@code stopped}; RunException (409) when there is nothing to stop. */
    default void stop(String id) {
        stop(id, null);
    }

    /** Ends the run with the final status {@code as} asks for (a sweep prunes a trial); null = a plain stop. */
    void stop(String id, StopRequest as);

    /** Queues an interrupted or stopped run to continue from its newest checkpoint. */
    void resume(String id);

    /** Starts a check ({@code overfit}, {@code gradients}) of a run; 409 when it cannot now. */
    void startCheck(String id, String check);

    boolean checkRunning(String id, String check);

    /** Ends a run's check processes (before it is deleted); false when one is still alive after the timeout. */
    boolean stopChecks(String id, long timeoutMs);

    /** The free-space probe (tests simulate a full disk). */
    void useDiskProbe(DiskSpace.Probe probe);

    /**
     * The trainer's own output when this executor keeps it somewhere other than runs/&lt;id&gt;/trainer.log
     * (a pod's log), at most {@code maxBytes} from its end; null = none here (the file, if any, is the log).
     */
    default String trainerLog(String id, int maxBytes) {
        return null;
    }

    /** Whether {@link #trainerLog} has something for this run (cheap: no log is fetched). */
    default boolean hasTrainerLog(String id) {
        return false;
    }

    /** Checks this executor runs elsewhere and that report back over HTTP (kubernetes); NONE when its checks are local processes. */
    default RemoteChecks remoteChecks() {
        return RemoteChecks.NONE;
    }

    /** Where ensemble evaluations run when not as child JVMs here (the kubernetes executor's Jobs); null = here. */
    default RemoteEvaluations evaluations() {
        return null;
    }

    @Override
    void close();
}
