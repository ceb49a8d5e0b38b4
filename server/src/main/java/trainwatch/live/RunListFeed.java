package trainwatch.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.run.RunEntry;
import trainwatch.run.RunIndex;

/**
 * /api/live: the run list as it changes. It sends a {@code run} message per new or changed
 * entry, {@code removed} per deleted run, then one {@code counts} message; a new client first
 * gets {@code hello} with the counts only (with thousands of runs, pages come over REST: GET
 * /api/runs). It also tells the hub which runs are live (queued/running) so only those stay
 * tailed.
 * <p>
 * Push where the server knows, poll only for what other processes do: the index tells this
 * feed of every entry it changes, and the feed sends it at once on its own thread (a run the
 * server creates, stops or deletes, a status the supervisor writes, a trainer it sees exit). A
 * trainer writing status.json, or a run made by the CLI, is found by the index's poll every
 * tick. Every {@link #RECONCILE_MS} the whole list is compared with what clients were told, a
 * safety net that costs a few milliseconds at 10,000 runs.
 */
public final class RunListFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunListFeed.class);
    static final long RECONCILE_MS = 5_000;

    private final RunIndex index;
    private final Consumer<Set<String>> liveRuns;
    private final LiveLimits limits;
    private final List<LiveClient> clients = new CopyOnWriteArrayList<>();
    /** What clients were last told, and the live runs among them; only touched under this feed's lock. */
    private final Map<String, RunEntry> last = new HashMap<>();
    private final Set<String> live = new HashSet<>();
    private final Map<String, Integer> counts = new java.util.TreeMap<>(); // runs per status in last, archived left out
    private int total;
    private final Set<String> pending = ConcurrentHashMap.newKeySet(); // changed in the index, not sent yet
    private final Set<String> reread = ConcurrentHashMap.newKeySet(); // changed on disk by the server's own hand
    private final AtomicBoolean woken = new AtomicBoolean(false);
    private long lastReconcile;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> LiveHub.daemon(r, "trainwatch-runlist"));

    public RunListFeed(RunIndex index, Consumer<Set<String>> liveRuns, LiveLimits limits) {
        this.index = index;
        this.liveRuns = liveRuns;
        this.limits = limits;
        index.onChange(this::changed);
    }

    /** Sends the list as it is, then polls the index every periodMs (for changes made by other processes). */
    public void start(long periodMs) {
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public synchronized LiveClient connect(ClientSink sink) {
        LiveClient c = new LiveClient(sink, limits, -1);
        c.offer(Wire.message(counts("hello")));
        clients.add(c);
        return c;
    }

    public void disconnect(LiveClient c) {
        clients.remove(c);
        c.detach();
    }

    /** The index changed this run's entry: sent on the feed's thread right away. */
    void changed(String id) {
        pending.add(id);
        wake();
    }

    /**
     * The server changed this run's files itself (the supervisor wrote its status, or saw its trainer exit):
     * the index re-reads it now instead of at its next poll. Never blocks the caller.
     */
    public void reread(String id) {
        reread.add(id);
        wake();
    }

    private void wake() {
        if (!woken.compareAndSet(false, true)) return; // a drain is already on its way
        try {
            timer.execute(this::drain);
        } catch (RejectedExecutionException closed) {
            woken.set(false);
        }
    }

    private void drain() {
        woken.set(false); // from here on a new change wakes another drain
        try {
            for (String id : take(reread)) index.touch(id);
            publish(take(pending));
        } catch (RuntimeException e) {
            LOG.warn("run list update failed: {}", e.toString());
        }
    }

    /** A tick: the index polls the disk (its changes come back through {@link #changed}), then they are sent. */
    synchronized void refresh() {
        try {
            index.refresh();
        } catch (RuntimeException e) {
            LOG.warn("run list refresh failed: {}", e.toString());
        }
        long now = System.nanoTime();
        if (lastReconcile == 0 || now - lastReconcile >= TimeUnit.MILLISECONDS.toNanos(RECONCILE_MS)) {
            lastReconcile = now;
            reconcile();
        } else {
            publish(take(pending));
        }
        watchLive(); // every tick: the hub retries a run it could not open yet
    }

    /** Sends what changed for these runs since clients were last told. */
    private synchronized void publish(List<String> ids) {
        if (ids.isEmpty()) return;
        Set<String> liveBefore = Set.copyOf(live);
        boolean any = false;
        for (String id : ids) any |= send(id, index.get(id));
        if (any && !clients.isEmpty()) broadcast(counts("counts"));
        if (!live.equals(liveBefore)) watchLive(); // a run the server just created is tailed at once
    }

    private void watchLive() {
        try {
            liveRuns.accept(Set.copyOf(live));
        } catch (RuntimeException e) {
            LOG.warn("watching live runs failed: {}", e.toString());
        }
    }

    /** The whole list against what clients were told (the pending ids are taken first: the full read covers them). */
    private synchronized void reconcile() {
        take(pending);
        Map<String, RunEntry> now = new HashMap<>();
        for (RunEntry e : index.entries()) now.put(e.id(), e);
        boolean any = false;
        for (RunEntry e : now.values()) any |= send(e.id(), e);
        for (String gone : new ArrayList<>(last.keySet())) if (!now.containsKey(gone)) any |= send(gone, null);
        if (any && !clients.isEmpty()) broadcast(counts("counts"));
    }

    /** One run's message, if it changed; true when something was sent. Counts follow each change (O(1): a 10,000-run scan sends 10,000). */
    private boolean send(String id, RunEntry e) {
        if (e == null) {
            live.remove(id);
            RunEntry before = last.remove(id);
            if (before == null) return false;
            count(before, -1);
            broadcast(Map.of("type", "removed", "id", id));
            return true;
        }
        if (e.isLive()) live.add(id);
        else live.remove(id);
        RunEntry before = last.put(id, e);
        if (e.equals(before)) return false;
        if (before != null) count(before, -1);
        count(e, +1);
        broadcast(Map.of("type", "run", "run", e));
        return true;
    }

    private void count(RunEntry e, int d) {
        if (e.archived()) return;
        total += d;
        if (counts.merge(e.status(), d, Integer::sum) == 0) counts.remove(e.status());
    }

    private static List<String> take(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (var it = ids.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    /** Runs per status (archived runs left out, as in the default list) and their total. */
    private Map<String, Object> counts(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("total", total);
        m.put("counts", new java.util.TreeMap<>(counts));
        m.put("indexing", index.indexing());
        return m;
    }

    private void broadcast(Map<String, Object> m) {
        if (clients.isEmpty()) return;
        Frame f = Wire.message(m);
        for (LiveClient c : clients) {
            c.offer(f);
            if (c.isClosed()) clients.remove(c);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (LiveClient c : clients) c.finish(1001, "server stopping");
    }
}
