package trainwatch.store;

import java.nio.file.Path;

import trainwatch.event.RunStatus;

/**
 * The single writer of a run directory (holds the trainer lock). Appends go
 * to the framed log through a buffer; {@link #flush()} makes them visible to
 * readers (page cache: survives kill -9 of this process). Each method returns
 * the record's seq.
 */
public interface RunWriter extends AutoCloseable {
    long scalars(long step, String[] tags, double[] values);

    long filters(long step, int[] shape, float[] data);

    /** Appends a StatusChange and rewrites status.json (with this process's pid while running). */
    long status(RunStatus status, String reason);

    long alert(long step, String kind, String tag, String message, String advice);

    // Stamped with a wall time the caller measured (a remote trainer's own clock, sent with each record over the
    // ingest API); writers that keep no wall time of their own fall back to the plain forms.

    default long scalars(long step, long wallMs, String[] tags, double[] values) {
        return scalars(step, tags, values);
    }

    default long filters(long step, long wallMs, int[] shape, float[] data) {
        return filters(step, shape, data);
    }

    default long alert(long step, long wallMs, String kind, String tag, String message, String advice) {
        return alert(step, kind, tag, message, advice);
    }

    long check(String check, String outcome, String summary, String detailsJson);

    /** Where the trainer keeps its checkpoints (runs/<id>/checkpoints/). */
    Path checkpointDir();

    void flush();

    /**
     * Until the next {@link #flush()}, nothing is handed to the OS on its own (no automatic flush; the
     * buffer grows instead): what is appended meanwhile reaches the log together at that flush, or not at
     * all when {@link #abandon()} comes first. A status change still flushes (it is made durable at once).
     */
    default void holdUntilFlush() {}

    /**
     * Closes the files and releases the lock WITHOUT flushing: records not flushed yet are dropped, as a
     * kill -9 would drop them (what was flushed stays; the next open recovers as after a crash). For a
     * caller that answers that a failed batch was not stored.
     */
    default void abandon() {
        close();
    }

    /** Flushes, fsyncs, releases the lock. */
    @Override
    void close();
}
