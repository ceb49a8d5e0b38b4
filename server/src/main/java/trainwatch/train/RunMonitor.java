package trainwatch.train;

import trainwatch.store.RunWriter;

/**
 * Sees every scalar record the trainer writes (on the training thread, so it
 * must be cheap) and may append alerts or checks through the writer. The lab's
 * alert rules plug in here; the trainer itself handles non-finite values
 * (status diverged).
 */
public interface RunMonitor {
    void onScalars(long step, String[] tags, double[] values, RunWriter writer);

    RunMonitor NONE = (step, tags, values, writer) -> {};
}
