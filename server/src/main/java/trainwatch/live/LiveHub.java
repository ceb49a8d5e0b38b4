package trainwatch.live;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunReader;

/**
 * Streams runs to WebSocket clients. One tailer thread polls every watched run's log
 * every tick (~20 ms) and hands each new batch, encoded once, to every client of that
 * run; sends are asynchronous and bounded per client (LiveClient), so no client can
 * slow the tailer, another client, or the trainer (a separate process that never waits
 * on the server at all). Runs with live trainers stay watched without clients, so
 * resumes come from memory and every alert reaches the AlertSink.
 */
public final class LiveHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    private static final long IDLE_CLOSE_MS = 30_000;
    private static final long LAGGARD_DISCONNECT_MS = 20_000;

    private final Function<String, RunReader> openReader;
    private final LiveLimits limits;
    private final AlertSink alerts;
    private final Clock clock;
    private final Map<String, RunFeed> feeds = new ConcurrentHashMap<>();
    private volatile Set<String> watched = Set.of();
    private final ScheduledExecutorService tailer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "trainwatch-live-tailer"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "trainwatch-live-timers"));
    /** Runs whose writer (this server's ingest service) said it appended: polled at once, not at the next tick. */
    private final Set<String> nudged = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean drainQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** A pushed feed is still polled this often by the tick, in case a nudge was missed. */
    static final long PUSHED_POLL_MS = 1000;

    /** The sizes and timings this hub was built with (the routes read the ping interval). */
    public LiveLimits limits() {
        return limits;
    }

    public LiveHub(Function<String, RunReader> openReader, LiveLimits limits, AlertSink alerts, Clock clock) {
        this.openReader = openReader;
        this.limits = limits;
        this.alerts = alerts;
        this.clock = clock;
    }

    public void start() {
        tailer.scheduleWithFixedDelay(this::tick, limits.tickMs(), limits.tickMs(), TimeUnit.MILLISECONDS);
    }

    /** Runs to keep tailing without clients (those with live trainers); others close when idle. */
    public void watch(Set<String> ids) {
        watched = Set.copyOf(ids);
        for (String id : ids) {
            try {
                feed(id);
            } catch (RuntimeException e) {
                LOG.debug("run {}: cannot watch yet: {}", id, e.toString());
            }
        }
    }

    /**
     * The run's writer is this server (a remote run's ingest) and it has just appended and flushed: the run is polled
     * now on the tailer thread instead of at the next tick, and from then on the tick polls it only as a fallback
     * (once a second, its status file every few seconds). With a thousand remote runs, polling every log every tick
     * was most of the tailer's work and of the ingest-to-browser latency.
     */
    public void nudge(String id) {
        nudged.add(id);
        if (drainQueued.compareAndSet(false, true)) {
            try {
                tailer.execute(this::drainNudged);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainQueued.set(false); // shutting down
            }
        }
    }

    private void drainNudged() {
        drainQueued.set(false);
        long now = clock.millis();
        for (java.util.Iterator<String> it = nudged.iterator(); it.hasNext(); ) {
            String id = it.next();
            it.remove();
            RunFeed f = feeds.get(id);
            if (f == null) continue;
            f.pushed();
            pollOne(f, now);
        }
    }

    /** A new client of a run's live stream (the caller checked the run exists). */
    public LiveClient connect(String id, ClientSink sink, Long after) {
        LiveClient c = new LiveClient(new WatchedSink(sink), limits, after == null ? -1 : after);
        feed(id).join(c, after);
        return c;
    }

    public void disconnect(String id, LiveClient c) {
        RunFeed f = feeds.get(id);
        if (f != null) f.leave(c);
        else c.detach();
    }

    /** The run is being deleted: close its clients and its reader. */
    public void forget(String id) {
        RunFeed f = feeds.remove(id);
        if (f != null) f.close(1001, "run deleted");
    }

    /** Clients of a run right now (tests and benchmarks look at their buffers). */
    public List<LiveClient> clients(String id) {
        RunFeed f = feeds.get(id);
        return f == null ? List.of() : f.clients();
    }

    /**
     * A message the server makes itself (a note someone added): to every open page of the run, at once. It carries
     * no seq (it is no log record), so clients never take it as a resume point; a page reloads notes on reconnect.
     */
    public void send(String id, Object message) {
        RunFeed f = feeds.get(id);
        if (f != null) f.send(Wire.message(message));
    }

    /**
     * The open reader of a run this hub tails (every live run has one), or null. Its methods are synchronized:
     * the run index reads the run's progress through it instead of opening another reader; it must not close it.
     */
    public RunReader reader(String id) {
        RunFeed f = feeds.get(id);
        return f == null ? null : f.reader();
    }

    public long lastSeq(String id) {
        RunFeed f = feeds.get(id);
        return f == null ? -1 : f.lastSeq();
    }

    private RunFeed feed(String id) {
        return feeds.computeIfAbsent(id, k -> new RunFeed(k, openReader.apply(k), limits, alerts, clock.millis()));
    }

    private void tick() {
        long now = clock.millis();
        for (RunFeed f : feeds.values()) {
            if (!f.isPushed() || now - f.lastPollMs >= PUSHED_POLL_MS) {
                if (!pollOne(f, now)) continue;
            }
            if (!watched.contains(f.id) && now - f.idleSince(now) > IDLE_CLOSE_MS && feeds.remove(f.id, f)) f.close(1001, "idle");
        }
    }

    /** false when the run is gone (its feed closed). */
    private boolean pollOne(RunFeed f, long now) {
        try {
            f.poll(now);
            f.lastPollMs = now;
            f.failures = 0;
        } catch (RunNotFoundException e) {
            if (feeds.remove(f.id, f)) f.close(1001, "run deleted");
            return false;
        } catch (RuntimeException e) {
            if (f.failures++ % 500 == 0) LOG.warn("run {}: live tail failed ({} times in a row): {}", f.id, f.failures, e.toString());
        }
        return true;
    }

    /** Wraps the socket so a client closed for lagging is dropped outright if it never reads its close frame. */
    private final class WatchedSink implements ClientSink {
        private final ClientSink inner;

        WatchedSink(ClientSink inner) {
            this.inner = inner;
        }

        @Override
        public void send(String text, java.util.function.Consumer<Throwable> done) {
            inner.send(text, done);
        }

        @Override
        public void close(int code, String reason) {
            inner.close(code, reason);
            if (code == LiveClient.LAGGING) timers.schedule(inner::disconnect, LAGGARD_DISCONNECT_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void disconnect() {
            inner.disconnect();
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        tailer.shutdownNow();
        timers.shutdownNow();
        for (String id : List.copyOf(feeds.keySet())) {
            RunFeed f = feeds.remove(id);
            if (f != null) f.close(1001, "server stopping");
        }
    }
}
