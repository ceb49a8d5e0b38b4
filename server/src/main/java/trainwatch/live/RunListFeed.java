package trainwatch.live;

import java.util.ArrayList;
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
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.run.RunSummary;

/**
 * /api/live: the run list as it changes. Every second it refreshes the list and sends a
 * {@code run} message per new or changed row and {@code removed} per deleted run; a new
 * client first gets {@code hello} with every row. It also tells the hub which runs are
 * live (queued/running) so those stay tailed.
 */
public final class RunListFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunListFeed.class);

    private final Supplier<Map<String, RunSummary>> list;
    private final Consumer<Set<String>> liveRuns;
    private final LiveLimits limits;
    private final List<LiveClient> clients = new CopyOnWriteArrayList<>();
    private Map<String, RunSummary> last = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> LiveHub.daemon(r, "trainwatch-runlist"));

    public RunListFeed(Supplier<Map<String, RunSummary>> list, Consumer<Set<String>> liveRuns, LiveLimits limits) {
        this.list = list;
        this.liveRuns = liveRuns;
        this.limits = limits;
    }

    public void start(long periodMs) {
        refresh();
        // an exception escaping a scheduled task cancels it silently: log it and keep the list live
        timer.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.error("run list refresh failed", e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public synchronized LiveClient connect(ClientSink sink) {
        LiveClient c = new LiveClient(sink, limits, -1);
        c.offer(Wire.message(new Hello("hello", new ArrayList<>(last.values()))));
        clients.add(c);
        return c;
    }

    public void disconnect(LiveClient c) {
        clients.remove(c);
        c.detach();
    }

    synchronized void refresh() {
        Map<String, RunSummary> now;
        try {
            now = list.get();
        } catch (RuntimeException e) {
            LOG.warn("run list refresh failed: {}", e.toString());
            return;
        }
        Set<String> live = new HashSet<>();
        for (RunSummary r : now.values()) {
            if (r.status().equals("queued") || r.status().equals("running")) live.add(r.id());
            if (!r.equals(last.get(r.id()))) broadcast(new RunChanged("run", r));
        }
        for (String gone : last.keySet()) if (!now.containsKey(gone)) broadcast(new Removed("removed", gone));
        last = now;
        try {
            liveRuns.accept(live);
        } catch (RuntimeException e) {
            LOG.warn("watching live runs failed: {}", e.toString());
        }
    }

    private void broadcast(Record m) {
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

    // The run-list messages (docs/api.md, WebSocket /api/live).
    public record Hello(String type, List<RunSummary> runs) {}

    public record RunChanged(String type, RunSummary run) {}

    public record Removed(String type, String id) {}
}
