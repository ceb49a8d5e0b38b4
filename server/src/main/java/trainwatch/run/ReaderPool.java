package trainwatch.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

/**
 * The open readers of runs someone is looking at, bounded three ways: at most
 * {@code maxReaders} open, at most {@code maxBytes} of their estimated memory, and none
 * idle for longer than {@code idleMs} (least recently used closed first). Nothing else in
 * the server keeps a reader of a finished run, so a run nobody views holds no file handle
 * and no buffer. Each reader is used by one thread at a time; different runs in parallel.
 */
public final class ReaderPool implements AutoCloseable {
    public record Limits(int maxReaders, long maxBytes, long idleMs) {
        public static final Limits DEFAULT = new Limits(16, 64L << 20, 60_000);
    }

    private final RunStore store;
    private final Limits limits;
    private final ToLongFunction<String> weigher;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final ScheduledExecutorService sweeper;
    private long bytes;

    private static final class Entry {
        RunReader reader;
        boolean closed;
        long weight;
        volatile long lastUsed;
    }

    public ReaderPool(RunStore store, Limits limits, ToLongFunction<String> weigher, LongSupplier clock) {
        this.store = store;
        this.limits = limits;
        this.weigher = weigher;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trainwatch-reader-pool");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, limits.idleMs() / 4);
        sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /** A pool with the default limits, weighing readers by {@link ReaderWeight}. */
    public ReaderPool(RunStore store) {
        this(store, Limits.DEFAULT, id -> ReaderWeight.estimate(store.dir(id)), System::currentTimeMillis);
    }

    /** Runs {@code f} with the run's reader; the caller has checked that the run exists. */
    public <T> T with(String id, Function<RunReader, T> f) {
        Entry e;
        List<Entry> evicted = new ArrayList<>();
        synchronized (this) {
            e = entries.get(id);
            if (e == null) {
                e = new Entry();
                e.weight = weigher.applyAsLong(id);
                entries.put(id, e);
                bytes += e.weight;
            }
            e.lastUsed = clock.getAsLong();
            for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
                 (entries.size() > limits.maxReaders() || bytes > limits.maxBytes()) && entries.size() > 1 && it.hasNext(); ) {
                Entry old = it.next().getValue();
                if (old == e) continue;
                evicted.add(old);
                bytes -= old.weight;
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
            if (e != null) bytes -= e.weight;
        }
        if (e != null) closeEntry(e);
    }

    /** Open readers right now (tests check the bound). */
    public synchronized int open() {
        return entries.size();
    }

    void closeIdle() {
        long now = clock.getAsLong();
        List<Entry> idle = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (now - e.lastUsed < limits.idleMs()) continue;
                idle.add(e);
                bytes -= e.weight;
                it.remove();
            }
        }
        idle.forEach(ReaderPool::closeEntry);
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
    public void close() {
        sweeper.shutdownNow();
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(entries.values());
            entries.clear();
            bytes = 0;
        }
        all.forEach(ReaderPool::closeEntry);
    }
}
