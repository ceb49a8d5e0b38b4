package trainwatch.run;

import trainwatch.config.Resources;

/**
 * Ensemble evaluations that run elsewhere (the kubernetes executor: a Job each) and report their result over
 * HTTP with a key of their own, instead of a child JVM holding one of this server's slots.
 */
public interface RemoteEvaluations {
    /**
     * Starts the evaluation: {@code bundleJson} is everything it needs besides the checkpoints it downloads (its
     * spec, the members' configs and files), handed over with {@code key} in a Secret. Must not block for long.
     */
    void start(String ensembleId, String key, String bundleJson, Resources resources);

    /** Deletes the evaluation's Job (its ensemble is deleted); nothing when it has none. */
    void delete(String ensembleId);

    /** Why the evaluation ended without reporting (its Job failed, was refused or deleted), or null while it may still report. */
    String failure(String ensembleId);
}
