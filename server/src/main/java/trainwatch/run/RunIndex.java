package trainwatch.run;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.RunStatus;
import trainwatch.store.RunState;
import trainwatch.store.RunStore;

/**
 * The run list, kept cheap: a finished run's row is computed once, a live run's row is
 * recomputed on each refresh. Runs trained headless appear on the next refresh.
 */
public final class RunIndex {
    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    static final String UNREADABLE_FILES = "unreadable run files (the reason is in the server's log)";

    private final RunStore store;
    private final ReaderPool readers;
    private final Map<String, RunSummary> cache = new ConcurrentHashMap<>();
    private final Set<String> warned = new HashSet<>();

    public RunIndex(RunStore store, ReaderPool readers) {
        this.store = store;
        this.readers = readers;
    }

    /** Every run, newest first. A run whose files cannot be read is listed as failed, never left out. */
    public synchronized Map<String, RunSummary> refresh() {
        List<String> ids = store.ids();
        cache.keySet().retainAll(ids);
        warned.retainAll(ids);
        Map<String, RunSummary> out = new LinkedHashMap<>();
        for (String id : ids) {
            RunSummary row = cache.get(id);
            if (row == null || !row.isFinal()) {
                try {
                    RunState state = RunStates.read(store, id);
                    row = readers.with(id, r -> RunViews.summary(id, r, state));
                    if (!RunStates.isUnreadable(state)) cache.put(id, row); // a repaired status.json shows on the next refresh
                } catch (RuntimeException e) {
                    if (!store.exists(id)) continue; // deleted at this instant
                    if (warned.add(id)) LOG.warn("run {}: its files cannot be read; listed as failed", id, e);
                    long when = RunStates.modifiedMs(store, id);
                    row = new RunSummary(id, "", "", RunStatus.FAILED.wire(), UNREADABLE_FILES, -1, when, when, -1, null, null, null, null);
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
