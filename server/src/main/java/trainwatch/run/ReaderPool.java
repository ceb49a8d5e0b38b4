package trainwatch.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

/**
 * Keeps a few readers open (least recently used closed first) so the list and the
 * dashboard's queries don't reopen a run's files on every request. Each reader is used
 * by one thread at a time; different runs are read in parallel.
 */
public final class ReaderPool implements AutoCloseable {
    private final RunStore store;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        RunReader reader;
        boolean closed;
    }

    public ReaderPool(RunStore store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Runs {@code f} with the run's reader; the caller has checked that the run exists. */
    public <T> T with(String id, Function<RunReader, T> f) {
        Entry e;
        List<Entry> evicted = new ArrayList<>();
        synchronized (this) {
            e = entries.computeIfAbsent(id, k -> new Entry());
            for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); entries.size() > capacity && it.hasNext(); ) {
                evicted.add(it.next().getValue());
                it.remove();
            }
        }
        evicted.forEach(ReaderPool::closeEntry); // may wait for a query in progress: never under the pool lock
        synchronized (e) {
            if (e.closed) return withFresh(id, f);
            if (e.reader == null) e.reader = store.reader(id);
            return f.apply(e.reader);
        }
    }

    /** Closes the run's reader (before the run is deleted). */
    public void evict(String id) {
        Entry e;
        synchronized (this) {
            e = entries.remove(id);
        }
        if (e != null) closeEntry(e);
    }

    private <T> T withFresh(String id, Function<RunReader, T> f) {
        try (RunReader r = store.reader(id)) {
            return f.apply(r);
        }
    }

    private static void closeEntry(Entry e) {
        synchronized (e) {
            e.closed = true;
            if (e.reader != null) e.reader.close();
            e.reader = null;
        }
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(ReaderPool::closeEntry);
        entries.clear();
    }

}
