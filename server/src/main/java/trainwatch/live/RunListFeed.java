package trainwatch.live;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.run.RunEntry;
import trainwatch.run.RunIndex;

/**
 * /api/live: the run list as it changes. Every tick it refreshes the index and sends a
 * {@code run} message per new or changed entry, {@code removed} per deleted run, then one
 * {@code counts} message; a new client first gets {@code hello} with the counts only (with
 * thousands of runs, pages come over REST: GET /api/runs). It also tells the hub which runs
 * are live (queued/running) so only those stay tailed.
 */
public final class RunListFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunListFeed.class);

    private final RunIndex index;
    private final Consumer<Set<String>> liveRuns;
    private final LiveLimits limits;
    private final List<LiveClient> clients = new CopyOnWriteArrayList<>();
    private Map<String, RunEntry> last = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> LiveHub.daemon(r, "trainwatch-runlist"));

    public RunListFeed(RunIndex index, Consumer<Set<String>> liveRuns, LiveLimits limits) {
        this.index = index;
        this.liveRuns = liveRuns;
        this.limits = limits;
    }

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

    synchronized void refresh() {
        Map<String, RunEntry> now = new HashMap<>();
        try {
            index.refresh();
            for (RunEntry e : index.entries()) now.put(e.id(), e);
        } catch (RuntimeException e) {
            LOG.warn("run list refresh failed: {}", e.toString());
            return;
        }
        Set<String> live = new HashSet<>();
        boolean changed = false;
        for (RunEntry r : now.values()) {
            if (r.isLive()) live.add(r.id());
            if (!r.equals(last.get(r.id()))) {
                changed = true;
                broadcast(Map.of("type", "run", "run", r));
            }
        }
        for (String gone : last.keySet()) {
            if (now.containsKey(gone)) continue;
            changed = true;
            broadcast(Map.of("type", "removed", "id", gone));
        }
        last = now;
        if (changed) broadcast(counts("counts"));
        try {
            liveRuns.accept(live);
        } catch (RuntimeException e) {
            LOG.warn("watching live runs failed: {}", e.toString());
        }
    }

    /** Runs per status (archived runs left out, as in the default list) and their total. */
    private Map<String, Object> counts(String type) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        int total = 0;
        for (RunEntry e : last.values()) {
            if (e.archived()) continue;
            counts.merge(e.status(), 1, Integer::sum);
            total++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("total", total);
        m.put("counts", counts);
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
