package trainwatch.run;

import java.util.function.Predicate;

import trainwatch.event.RunStatus;

/**
 * Runs whose writer is this server itself (trained elsewhere, sent over the ingest API): the
 * supervisor neither adopts nor settles them (their trainer is not a process here) and hands a
 * stop request to their owner, which delivers it to the remote trainer. An executor that starts
 * trainers elsewhere (kubernetes) turns its runs into remote runs with {@link #adopt} and records
 * what it sees of them with {@link #record}.
 */
public interface RemoteRuns {
    RemoteRuns NONE = new RemoteRuns() {
        @Override
        public boolean owns(String id) {
            return false;
        }

        @Override
        public void stop(String id) {
            throw RunException.conflict("run " + id + " is not a remote run");
        }
    };

    boolean owns(String id);

    /** Asks the remote trainer to stop; throws RunException (409) when the run is not running. */
    void stop(String id);

    /**
     * Makes an existing run (queued) one a trainer elsewhere writes through the ingest API, with a new
     * ingest key, returned this once (it replaces any earlier key of the run).
     */
    default String adopt(String id) {
        throw new UnsupportedOperationException("no ingest service to adopt run " + id);
    }

    /**
     * Records a status its trainer cannot report (its pod is pending, was evicted, is gone), unless the run
     * already has a final status: the trainer's own word wins, except a {@code stopped} nobody asked for on a
     * run an executor watches, which {@code interrupted} replaces (the trainer saw only SIGTERM; Kubernetes knows
     * it was an eviction). {@code queued} only replaces {@code queued} (a reason such as "Unschedulable").
     * True when it was written.
     */
    default boolean record(String id, RunStatus status, String reason) {
        return false;
    }

    /**
     * A remote run (interrupted or stopped) continues from a checkpoint taken before step {@code fromStep}: the
     * records of steps >= fromStep are superseded now (as a local resume does) and the run reads queued until its
     * new trainer sends. RunException 409 when it is not resumable.
     */
    default void resume(String id, long fromStep) {
        throw RunException.conflict("run " + id + " is not a remote run this server writes");
    }

    /** The runs for which {@code watched} holds are watched by an executor: never timed out for being silent. */
    default void watchedElsewhere(Predicate<String> watched) {}

    /** A stop that ends the run with another final status (a sweep prunes a trial); as null = a plain stop. */
    default void stop(String id, trainwatch.store.StopRequest as) {
        stop(id);
    }
}
