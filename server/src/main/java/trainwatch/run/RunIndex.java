package trainwatch.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.store.RunStore;

/**
 * The run list, kept cheap: a finished run's row is computed once, a live run's row is
 * recomputed on each refresh. Runs trained headless appear on the next refresh.
 */
public final class RunIndex {
    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);

    private final RunStore store;
    private final ReaderPool readers;
    private final Map<String, RunSummary> cache = new ConcurrentHashMap<>();

    public RunIndex(RunStore store, ReaderPool readers) {
        this.store = store;
        this.readers = readers;
    }

    /** Every run, newest first. */
    public synchronized Map<String, RunSummary> refresh() {
        List<String> ids = store.ids();
        cache.keySet().retainAll(ids);
        Map<String, RunSummary> out = new LinkedHashMap<>();
        for (String id : ids) {
            RunSummary row = cache.get(id);
            if (row == null || !row.isFinal()) {
                try {
                    row = readers.with(id, r -> RunViews.summary(id, r));
                    cache.put(id, row);
                } catch (RuntimeException e) {
                    LOG.debug("run {}: not listable right now: {}", id, e.toString());
                    continue; // being created or deleted at this instant
                }
            }
            out.put(id, row);
        }
        return out;
    }

    public void forget(String id) {
        cache.remove(id);
    }
}
