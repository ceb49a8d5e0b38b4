package trainwatch.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import trainwatch.event.Tags;
import trainwatch.store.RunReader;
import trainwatch.store.Goal;

/**
 * A run's best val_acc and its step, exact (the store reads the summaries' maxima and
 * one raw block), recomputed only when the reader has new records (the list and detail
 * views ask often).
 */
public final class BestValAcc {
    /** best/step null when the run has no finite val_acc yet. */
    record Best(Double value, Long step) {}

    /** No reader in here: an entry that held its reader kept every run ever listed in memory (about 1 MB each). */
    private record Entry(long seq, Best best, long computations) {}

    private static final Map<String, Entry> CACHE = new ConcurrentHashMap<>();

    private BestValAcc() {}

    /** The caller holds the reader (one thread per reader at a time), so a run's entry is never computed twice at once. */
    static Best of(String id, RunReader r) {
        long seq = r.lastSeq();
        Entry e = CACHE.get(id);
        if (e != null && e.seq() == seq) return e.best();
        Best b = compute(r);
        CACHE.put(id, new Entry(seq, b, e == null ? 1 : e.computations() + 1));
        return b;
    }

    /** Drops a deleted run's entry. */
    static void forget(String id) {
        CACHE.remove(id);
    }

    /** How many times the run's best was computed (a diagnostic the tests use to prove caching). */
    public static long computations(String id) {
        Entry e = CACHE.get(id);
        return e == null ? 0 : e.computations();
    }

    /** First step with the highest finite value (ties keep the earlier step). */
    private static Best compute(RunReader r) {
        trainwatch.store.Best b = r.best(Tags.VAL_ACC, Goal.MAX);
        return b == null ? new Best(null, null) : new Best(b.value(), b.step());
    }
}
