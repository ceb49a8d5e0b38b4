package trainwatch.event;

import java.util.Locale;

/**
 * A run's lifecycle (docs/api.md, `status` messages). Stored and sent in lower case.
 * PRUNED: stopped by a sweep's early stopping (docs/sweeps.md); its reason names the rung and threshold.
 */
public enum RunStatus {
    QUEUED, RUNNING, FINISHED, FAILED, DIVERGED, STOPPED, INTERRUPTED, PRUNED;

    /** A final status is never followed by another one. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
