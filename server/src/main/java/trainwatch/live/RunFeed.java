package trainwatch.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.StatusChange;
import trainwatch.run.StaleChecks;
import trainwatch.store.RunReader;
import trainwatch.store.StatusRecord;
import trainwatch.store.TailBatch;

/**
 * Tails one run's log from where it stood when the feed opened, keeps a ring of recent
 * events for resumes, and hands each tick's new events, encoded once, to every client.
 * Joining and polling share the feed's lock, so a joining client's backlog ends exactly
 * where its first live frame starts: no gap, no duplicate.
 */
final class RunFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RunFeed.class);
    private static final long STATE_POLL_MS = 250;
    private static final long CHECKS_POLL_MS = 1000;

    final String id;
    private final RunReader reader;
    private final LiveLimits limits;
    private final AlertSink alerts;
    private final List<LiveClient> clients = new CopyOnWriteArrayList<>();
    private final EventRing ring;
    private final Set<String> checksSeen = new HashSet<>();
    private long position;
    private long lastSeq;
    private RunStatus status;
    private long lastStatePoll;
    private long lastChecksPoll;
    private long idleSinceMs;
    private boolean closed;
    /** Consecutive failed polls (touched by the tailer thread only). */
    int failures;
    /** When the tailer last polled this feed (tailer thread only). */
    long lastPollMs;
    /** Its writer tells the hub when it appends (LiveHub.nudge): status and checks files are read rarely. */
    private volatile boolean pushed;
    private long statePollMs = STATE_POLL_MS;
    private long checksPollMs = CHECKS_POLL_MS;
    private static final long PUSHED_FILES_POLL_MS = 5000;

    RunFeed(String id, RunReader reader, LiveLimits limits, AlertSink alerts, long nowMs) {
        this.id = id;
        this.reader = reader;
        this.limits = limits;
        this.alerts = alerts;
        this.lastSeq = reader.lastSeq();
        long p = reader.positionAfter(lastSeq);
        this.position = p >= 0 ? p : endOfLog();
        this.ring = new EventRing(limits.ringCapacity(), lastSeq);
        this.status = reader.state().status();
        for (CheckResult c : reader.checks()) checksSeen.add(key(StaleChecks.resolve(c)));
        this.idleSinceMs = nowMs;
    }

    /** The feed's reader (thread-safe; LiveHub.reader): never closed by the caller. */
    RunReader reader() {
        return reader;
    }

    /** The run's writer (this server) announces its appends; its status changes come through the log. */
    synchronized void pushed() {
        if (pushed) return;
        pushed = true;
        statePollMs = PUSHED_FILES_POLL_MS;
        checksPollMs = PUSHED_FILES_POLL_MS;
    }

    boolean isPushed() {
        return pushed;
    }

    /** Reads what was appended since the last poll and sends it; called by the hub's single tailer thread. */
    synchronized void poll(long nowMs) {
        if (closed) return;
        for (int round = 0; round < 8; round++) {
            TailBatch b = reader.readFrom(position, limits.maxReadPerTick());
            position = b.next();
            if (!b.problems().isEmpty()) LOG.warn("run {}: skipped damaged records: {}", id, b.problems());
            List<RunEvent> fresh = new ArrayList<>(b.events().size());
            for (RunEvent e : b.events()) if (e.seq() > lastSeq) fresh.add(e);
            if (!fresh.isEmpty()) publish(fresh);
            if (b.events().size() < limits.maxReadPerTick()) break;
        }
        if (nowMs - lastStatePoll >= statePollMs) {
            lastStatePoll = nowMs;
            StatusRecord s = reader.state();
            if (s.status() != status) {
                status = s.status();
                broadcast(Wire.status(s.updatedMs(), s.status(), s.reason()));
            }
        }
        if (nowMs - lastChecksPoll >= checksPollMs) {
            lastChecksPoll = nowMs;
            // a check process killed before writing its result is pushed as failed, as the REST view shows it
            for (CheckResult c : reader.checks()) {
                CheckResult shown = StaleChecks.resolve(c);
                if (checksSeen.add(key(shown))) broadcast(Wire.check(shown, -1));
            }
        }
    }

    private void publish(List<RunEvent> fresh) {
        lastSeq = fresh.get(fresh.size() - 1).seq();
        for (RunEvent e : fresh) {
            ring.add(e);
            if (e instanceof StatusChange s) status = s.status();
            if (e instanceof CheckResult c) checksSeen.add(key(c));
        }
        // a run watched for its alerts alone (a live trainer, no page open) is not encoded: with a thousand remote
        // runs and a few pages, encoding every batch was most of the tailer's work; a page joining later resumes
        // from the ring, which keeps the events themselves
        if (!clients.isEmpty()) for (Frame f : Wire.frames(fresh, limits.maxPerMessage())) broadcast(f);
        for (RunEvent e : fresh) {
            if (e instanceof Alert a) {
                try {
                    alerts.alert(id, a);
                } catch (RuntimeException ex) {
                    LOG.warn("run {}: alert sink failed: {}", id, ex.toString());
                }
            }
        }
    }

    /** A frame from outside the log (a note): to the clients joined so far. */
    void send(Frame f) {
        broadcast(f);
    }

    private void broadcast(Frame f) {
        for (LiveClient c : clients) {
            c.offer(f);
            if (c.isClosed()) clients.remove(c);
        }
    }

    /**
     * hello, then every record with seq > after (from the ring, else from the log), then live frames;
     * resync when too far back: more than maxBacklog records in the log (bounds the time this holds
     * the feed's lock) or more than twice the client's queue bound in bytes (enough to resume after
     * a 4008 close, which dropped at most one queue's worth).
     */
    synchronized void join(LiveClient c, Long after) {
        if (closed) {
            c.finish(1001, "run deleted");
            return;
        }
        StatusRecord s = reader.state();
        c.startAt(after == null ? lastSeq : Math.min(after, lastSeq));
        c.offer(Wire.hello(id, lastSeq, s.status(), s.reason()));
        if (after != null && after != lastSeq) {
            List<RunEvent> backlog = after > lastSeq ? null : ring.after(after);
            if (backlog == null && after < lastSeq) backlog = fromLog(after);
            List<Frame> frames = backlog == null ? null : Wire.frames(backlog, limits.maxPerMessage());
            if (frames == null || bytes(frames) > 2L * c.limits().maxQueuedBytes()) { // more than a client buffer should hold: reload over REST
                c.offer(Wire.resync(lastSeq));
                c.finish(1000, "resync");
                return;
            }
            for (Frame f : frames) c.offerBacklog(f);
        }
        clients.add(c);
    }

    /** Records (after, lastSeq] read back from the log, or null when there are too many or the log can't find them. */
    private List<RunEvent> fromLog(long after) {
        long p = reader.positionAfter(after);
        if (p < 0) return null;
        List<RunEvent> out = new ArrayList<>();
        while (p < position) {
            TailBatch b = reader.readFrom(p, 10_000);
            if (b.events().isEmpty() || b.next() <= p) break;
            for (RunEvent e : b.events()) if (e.seq() > after && e.seq() <= lastSeq) out.add(e);
            if (out.size() > limits.maxBacklog()) return null;
            p = b.next();
        }
        return out;
    }

    private static long bytes(List<Frame> frames) {
        long n = 0;
        for (Frame f : frames) n += f.bytes();
        return n;
    }

    void leave(LiveClient c) {
        clients.remove(c);
        c.detach();
    }

    int clientCount() {
        return clients.size();
    }

    List<LiveClient> clients() {
        return List.copyOf(clients);
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized RunStatus status() {
        return status;
    }

    /** Since when the feed has had no client (0 while it has some). */
    long idleSince(long nowMs) {
        if (!clients.isEmpty()) idleSinceMs = nowMs;
        return idleSinceMs;
    }

    synchronized void close(int code, String reason) {
        closed = true;
        for (LiveClient c : clients) c.finish(code, reason);
        clients.clear();
        reader.close();
    }

    private long endOfLog() {
        long p = 0;
        while (true) {
            TailBatch b = reader.readFrom(p, 100_000);
            if (b.events().isEmpty() || b.next() <= p) return Math.max(p, b.next());
            p = b.next();
        }
    }

    private static String key(CheckResult c) {
        return c.check() + "@" + c.wallMs() + ":" + c.outcome();
    }
}
