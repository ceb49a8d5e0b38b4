package trainwatch.sweep;

import java.util.List;

import trainwatch.search.Goal;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;

/**
 * What the sweep controller needs of runs: trials are ordinary runs, created queued and
 * started through the same supervisor (and --max-parallel) as any other run. The real one is
 * {@link StoreTrials}; tests give the controller an in-memory stand-in.
 */
public interface Trials {
    /** A fresh run id (not yet used on disk). */
    String newRunId();

    boolean exists(String run);

    /** Creates the run (status queued, config.json and sweep.json appearing together) and queues it for a trainer. */
    void create(String run, String configJson, String sweepJson);

    /** The run's status as the pages show it. */
    StatusRecord state(String run);

    /** Asks the run to stop; {@code as} null = a plain stop, else the final status and reason it should end with. No-op once it has ended. */
    void stop(String run, StopRequest as);

    /**
     * The metric after each completed epoch from {@code fromEpoch} (1-based) on: element i is epoch fromEpoch + i,
     * null when the tag had no value yet by the end of that epoch. Empty when no new epoch has completed.
     */
    List<Double> epochValues(String run, String tag, int fromEpoch);

    /** The tag's best finite value over the run in the goal's direction, or null. */
    Double best(String run, String tag, Goal goal);

    /** Epochs the run has completed. */
    int epochs(String run);

    /** Deletes a run that has ended; false when it was already gone. */
    boolean delete(String run);
}
