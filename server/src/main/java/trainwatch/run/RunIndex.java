package trainwatch.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

/**
 * The run list as small entries (docs/run-format.md "Run index"), never open readers:
 * loaded from runs/.index/summaries.jsonl at start, so the server answers at once, then
 * checked against the run directories in the background (runs changed while the server was
 * down are recomputed, new ones added newest first, so the list fills in as it goes).
 * While serving, {@link #refresh()} picks up new and removed directories and re-reads live
 * runs; every {@link #FULL_CHECK_MS} it stats every run. The file is rewritten at most every
 * {@link #SAVE_EVERY_MS} when something changed, and on close. Every entry added, changed or
 * removed, whatever the cause, is told to the {@link #onChange} listeners at once (the run list
 * feed pushes it), so a change the server makes itself never waits for a poll.
 */
public final class RunIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    static final long FULL_CHECK_MS = 30_000;
    static final long SAVE_EVERY_MS = 5_000;
    /** A listing of runs/ is reused while the directory's mtime has not moved and was this much older than the listing (coarse clocks). */
    static final long MTIME_SLACK_MS = 2_000;
    /** ... and at most this long whatever the mtime says (file systems whose directory mtime lags, e.g. NFS attribute caches). */
    static final long RELIST_MS = 5_000;
    /** Live runs' progress (step, latest values) is re-read this often; their status.json is looked at on every refresh. */
    static final long PROGRESS_MS = 500;

    private final RunStore store;
    private final Clock clock;
    private final IndexFile file;
    private final Map<String, IndexFile.Line> entries = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scanning = new AtomicBoolean(false); // the start-up check
    private final AtomicBoolean checking = new AtomicBoolean(false); // a periodic full check
    private final AtomicBoolean saving = new AtomicBoolean(false);
    private volatile boolean dirty;
    private volatile boolean closed;
    private volatile long lastSave;
    private volatile long lastFullCheck;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private Set<String> listed; // the last listing of runs/, with the directory's mtime read just before it
    private long listedMtimeNs;
    private long listedAtMs;
    private Set<String> lastListing; // the listing the two sets below were derived from
    private Set<String> missing = new HashSet<>(); // listed directories without an entry yet (being created, or left to the start-up check)
    private final Set<String> live = ConcurrentHashMap.newKeySet(); // ids whose entry is queued or running
    private long lastProgressNs;
    /** Live runs whose writer is this server (remote runs): re-read when it says it appended, never polled. */
    private final Set<String> pushed = ConcurrentHashMap.newKeySet();
    private final Set<String> appendedSince = ConcurrentHashMap.newKeySet();
    /** When a live run's disk use was last measured (a walk of its directory): at most every DISK_MS. */
    private final Map<String, Long> diskMeasuredMs = new ConcurrentHashMap<>();
    static final long DISK_MS = 5_000;
    /** Readers someone else keeps open for live runs (the live hub's), used without closing them; null when none. */
    private volatile java.util.function.Function<String, RunReader> sharedReaders = id -> null;

    public RunIndex(RunStore store, ReaderPool readers, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.file = new IndexFile(store.root());
    }

    /** Loads the index file (fast); until {@link #scanInBackground()} has checked them all, unknown run directories wait. */
    public void load() {
        scanning.set(true);
        for (IndexFile.Line l : file.load()) {
            entries.put(l.run().id(), l);
            if (l.run().isLive()) live.add(l.run().id());
        }
        LOG.info("run index: {} runs loaded from {}", entries.size(), file.path());
    }

    /** Checks every run directory against the loaded entries on a background thread, newest first. */
    public void scanInBackground() {
        scanning.set(true);
        Thread scanner = new Thread(() -> fullCheck(scanning), "trainwatch-index-scan");
        scanner.setDaemon(true);
        scanner.start();
    }

    /** True while the start-up check of the run directories is still going (the list may be incomplete). */
    public boolean indexing() {
        return scanning.get();
    }

    /** Every run's entry (no order). */
    public Collection<RunEntry> entries() {
        List<RunEntry> out = new ArrayList<>(entries.size());
        for (IndexFile.Line l : entries.values()) out.add(l.run());
        return out;
    }

    public RunEntry get(String id) {
        IndexFile.Line l = entries.get(id);
        return l == null ? null : l.run();
    }

    /**
     * Told the id of every entry added, changed or removed, after the change, on the thread that made it:
     * must not block (hand the id to another thread).
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void changed(String id) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("run index listener failed on {}: {}", id, e.toString());
            }
        }
    }

    /**
     * Cheap, called several times a second: new and removed run directories, live runs re-read, periodic full
     * check and save. With nothing new in runs/ it costs a stat of runs/ plus a few stats per live run, whatever
     * the number of finished runs (their directories are not listed again while runs/ itself is unchanged).
     */
    public synchronized void refresh() {
        if (closed) return;
        Set<String> onDisk = currentNames();
        if (onDisk == null) return;
        if (onDisk != lastListing) { // a new listing: runs/ changed, or RELIST_MS passed
            lastListing = onDisk;
            for (String id : List.copyOf(entries.keySet())) {
                // an entry missing from a listing may have been created since (RunService touches a new run at once)
                if (!onDisk.contains(id) && !Files.isDirectory(store.root().resolve(id)) && entries.remove(id) != null) {
                    live.remove(id);
                    dirty = true;
                    changed(id);
                }
            }
            Set<String> fresh = new HashSet<>();
            for (String id : onDisk) if (!entries.containsKey(id)) fresh.add(id);
            missing = fresh;
        }
        if (!scanning.get()) { // while it runs, the start-up check gets to new directories (newest first)
            for (String id : List.copyOf(missing)) {
                update(id, false);
                if (entries.containsKey(id)) missing.remove(id);
            }
        }
        // live runs: a status change at once, progress every PROGRESS_MS (a message per running run to every list client)
        long ns = System.nanoTime();
        boolean progress = ns - lastProgressNs >= TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
        if (progress) lastProgressNs = ns;
        for (String id : List.copyOf(live)) {
            IndexFile.Line l = entries.get(id);
            if (l == null) live.remove(id);
            else if (pushed.contains(id)) {
                if (progress && appendedSince.remove(id)) update(id, false); // its writer (this server) said so
            } else if (progress || statusMoved(id, l.fp())) update(id, false);
        }
        long now = clock.millis();
        if (!scanning.get() && now - lastFullCheck >= FULL_CHECK_MS) {
            lastFullCheck = now;
            if (checking.compareAndSet(false, true)) {
                Thread t = new Thread(() -> fullCheck(checking), "trainwatch-index-check");
                t.setDaemon(true);
                t.start();
            }
        }
        if (dirty && now - lastSave >= SAVE_EVERY_MS && saving.compareAndSet(false, true)) {
            lastSave = now;
            Thread t = new Thread(() -> { // writing 10,000 lines must not hold up the next refresh
                try {
                    save(now);
                } finally {
                    saving.set(false);
                }
            }, "trainwatch-index-save");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * The run's writer is this server and it has just appended (a remote run's batch): its entry is re-read at the next
     * progress tick, and from now on only when told so (no stats every tick; the full check still looks every 30 s).
     */
    public void appended(String id) {
        pushed.add(id);
        appendedSince.add(id);
    }

    /** Where to find an open reader of a live run (the live hub keeps one per live run): the index then opens none. */
    public void sharedReaders(java.util.function.Function<String, RunReader> f) {
        this.sharedReaders = f;
    }

    /** Recomputes one run's entry now (the server created, archived or changed it). */
    public void touch(String id) {
        update(id, true);
    }

    /** The run is being deleted. */
    public void forget(String id) {
        live.remove(id);
        pushed.remove(id);
        appendedSince.remove(id);
        diskMeasuredMs.remove(id);
        if (entries.remove(id) != null) {
            dirty = true;
            changed(id);
        }
    }

    /** Stats every run and recomputes those whose fingerprint moved; newest ids first so the list fills in from the top. */
    private void fullCheck(AtomicBoolean running) {
        try {
            Set<String> names = dirNames();
            if (names == null) return;
            List<String> ids = new ArrayList<>(names);
            ids.sort(Comparator.reverseOrder()); // ids start with their creation time
            // two workers: reading a run is mostly waiting on small file reads, and the list should fill in fast
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            Runnable work = () -> {
                for (int i; (i = next.getAndIncrement()) < ids.size() && !closed; ) update(ids.get(i), false);
            };
            Thread helper = new Thread(work, Thread.currentThread().getName() + "-2");
            helper.setDaemon(true);
            helper.start();
            work.run();
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (String id : List.copyOf(entries.keySet())) {
                if (!names.contains(id) && !store.exists(id) && entries.remove(id) != null) {
                    live.remove(id);
                    dirty = true;
                    changed(id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("run index check failed: {}", e.toString(), e);
        } finally {
            lastFullCheck = clock.millis();
            running.set(false);
        }
    }

    private void update(String id, boolean force) {
        Path dir;
        try {
            dir = store.dir(id);
        } catch (IllegalArgumentException e) {
            return;
        }
        boolean[] moved = {false};
        entries.compute(id, (k, old) -> {
            Fingerprint fp = Fingerprint.of(dir);
            RunEntry e = fp == null ? null // gone (or being created: its status.json is not there yet)
                    : !force && old != null && old.fp().equals(fp) ? old.run()
                    : !force && onlyLogGrew(old, fp) ? progress(id, old, fp)
                    : compute(id, old, fp);
            if (e == null) {
                live.remove(id);
                if (old != null) dirty = moved[0] = true;
                return null;
            }
            if (e.isLive()) live.add(id);
            else live.remove(id);
            if (old != null && old.fp().equals(fp) && old.run() == e) return old;
            dirty = true;
            moved[0] = old == null || !old.run().equals(e);
            return new IndexFile.Line(fp, e);
        });
        if (moved[0]) changed(id); // outside compute: a listener never runs under the map's lock
    }

    /** A live run whose events.log grew and nothing else: its progress only, no config, labels or owner read again. */
    private static boolean onlyLogGrew(IndexFile.Line old, Fingerprint fp) {
        if (old == null || !old.run().isLive() || EntryBuilder.UNREADABLE_FILES.equals(old.run().reason())) return false;
        Fingerprint o = old.fp();
        return o.statusMs() == fp.statusMs() && o.statusBytes() == fp.statusBytes() && o.archived() == fp.archived() && o.tagsMs() == fp.tagsMs();
    }

    /** The old entry with new progress; disk use measured again at most every DISK_MS. Whole when that is not enough. */
    private RunEntry progress(String id, IndexFile.Line line, Fingerprint fp) {
        RunEntry old = line.run();
        long now = clock.millis();
        Long measured = diskMeasuredMs.get(id);
        boolean walk = measured == null || now - measured >= DISK_MS;
        try {
            long disk = walk ? EntryBuilder.diskBytes(store.dir(id)) : old.diskBytes();
            RunEntry e = withReader(id, r -> EntryBuilder.progress(id, old, r, disk));
            if (e == null) return compute(id, line, fp);
            if (walk) diskMeasuredMs.put(id, now);
            return e;
        } catch (RuntimeException ex) {
            return compute(id, line, fp);
        }
    }

    /**
     * The live hub's open reader of the run (every live run has one; used, never closed here); else a reader of its
     * own closed right after (a moment before the hub watches a new run): the index keeps no reader open itself.
     */
    private <T> T withReader(String id, java.util.function.Function<RunReader, T> f) {
        RunReader shared = sharedReaders.apply(id);
        if (shared != null) {
            try {
                return f.apply(shared);
            } catch (IllegalStateException closedMeanwhile) {
                // the hub closed its feed (idle, deleted): a reader of its own below
            }
        }
        try (RunReader r = store.reader(id)) {
            return f.apply(r);
        }
    }

    /** Live runs read through the hub's kept-open reader (the next refresh reads only what is new); others through a reader closed right after. */
    private RunEntry compute(String id, IndexFile.Line old, Fingerprint fp) {
        try {
            return withReader(id, r -> EntryBuilder.build(store, id, r, fp.archived()));
        } catch (RunNotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            if (!store.exists(id)) return null; // deleted at this instant
            if (old != null && trainwatch.store.Descriptors.exhausted(e)) return old.run(); // out of descriptors: a moment, not damage
            if (warned.add(id)) LOG.warn("run {}: its files cannot be read; listed as failed", id, e);
            return EntryBuilder.unreadable(store, id, fp.archived());
        }
    }

    /** status.json replaced since the entry was computed (a trainer rewrites it on every status change): one stat. */
    private boolean statusMoved(String id, Fingerprint fp) {
        try {
            BasicFileAttributes st = Files.readAttributes(store.root().resolve(id).resolve("status.json"), BasicFileAttributes.class);
            return st.lastModifiedTime().toMillis() != fp.statusMs() || st.size() != fp.statusBytes();
        } catch (IOException e) {
            return true; // gone or unreadable: let update() decide
        }
    }

    /**
     * The run directory names: the last listing again while runs/ is unchanged. Adding or removing a directory
     * moves the directory's mtime; its mtime is read before listing, and a listing is trusted only when that
     * mtime was comfortably older than the listing (a clock of 1 s granularity cannot hide a change then).
     * Wall time, not the injected clock: it is compared with the file system's.
     */
    private Set<String> currentNames() {
        long wall = System.currentTimeMillis();
        long mtime;
        try {
            mtime = Files.getLastModifiedTime(store.root()).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            mtime = Long.MIN_VALUE;
        }
        if (listed != null && mtime != Long.MIN_VALUE && mtime == listedMtimeNs
                && listedAtMs - TimeUnit.NANOSECONDS.toMillis(mtime) >= MTIME_SLACK_MS && wall - listedAtMs < RELIST_MS)
            return listed;
        Set<String> names = dirNames();
        if (names != null && mtime != Long.MIN_VALUE) {
            listed = names;
            listedMtimeNs = mtime;
            listedAtMs = wall;
        }
        return names;
    }

    /** Run directory names (valid ids), without reading anything inside them; null when the root cannot be listed. */
    private Set<String> dirNames() {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.root())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (RunStore.validId(n)) out.add(n);
            }
            return out;
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", store.root(), e.toString());
            return null;
        }
    }

    private void save(long now) {
        dirty = false;
        try {
            file.save(entries.values(), now);
        } catch (IOException | RuntimeException e) {
            dirty = true;
            LOG.warn("could not save the run index {}: {}", file.path(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (saving.get()) { // a background save finishes first: one writer of the file
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (dirty) save(clock.millis());
    }
}
