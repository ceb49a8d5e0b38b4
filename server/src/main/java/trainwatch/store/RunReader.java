package trainwatch.store;

import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

/** Read side of one run directory; safe while another process writes it. */
public interface RunReader extends AutoCloseable {
    String id();

    String configJson();

    StatusRecord state();

    /** Every tag seen so far. */
    List<String> tags();

    /** One tag downsampled into at most {@code points} buckets over [from, to] (inclusive; Long.MIN/MAX for open ends). */
    Series series(String tag, int points, long from, long to);

    /**
     * The tag's best finite value (highest for MAX, lowest for MIN) and the first
     * step that reached it, exact whatever the run length; null when the tag has
     * no finite value. NaN and +-Infinity never count. This default scans every
     * point; the file store reads the summaries' extremes and one raw block.
     */
    default Best best(String tag, Goal goal) {
        Series all = series(tag, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
        Best best = null;
        for (int i = 0; i < all.step().length; i++) {
            double v = all.last()[i];
            if (Double.isFinite(v) && (best == null || goal.beats(v, best.value()))) best = new Best(v, all.step()[i]);
        }
        return best;
    }

    /** Where the run was resumed from a checkpoint, oldest first (records of steps >= fromStep before each were superseded). */
    default List<Resumed> resumes() {
        return List.of();
    }

    /** The newest record of every tag merged into one (step per tag may differ: see latestStep). */
    Scalars latest();

    /** Step of the tag's newest point, or -1 when it has none. */
    default long latestStep(String tag) {
        return -1;
    }

    /** Corruption found so far (bad CRC, undecodable records, unreadable check files): detected, skipped, never returned as values. */
    default List<String> problems() {
        return List.of();
    }

    long lastSeq();

    /**
     * Wall-clock anchors for time axes: about {@code points} (step, wall ms) pairs spread over
     * the run in step order, the newest record last; [0] = steps, [1] = wall ms.
     */
    default long[][] clock(int points) {
        return new long[][] {new long[0], new long[0]};
    }

    List<Long> filterSteps();

    /** Snapshot with data, or null when that step has none. */
    FilterSnapshot filters(long step);

    List<Alert> alerts();

    /** Sanity checks from the log plus check files (checks/*.json) written by check processes. */
    List<CheckResult> checks();

    /**
     * Byte position from which every record with seq > afterSeq can be read, or -1 when the log no longer has them
     * cheaply (resync). The file store keeps every record, finds the position by binary search over its block index,
     * and never answers -1; how far back is too far is the caller's call (seq distance).
     */
    long positionAfter(long afterSeq);

    /** Records from a byte position to the current valid end, at most maxRecords. */
    TailBatch readFrom(long position, int maxRecords);

    @Override
    void close();

    /** Status changes recorded in the log, oldest first. */
    default List<StatusChange> statusHistory() {
        return List.of();
    }
}
