package trainwatch.live;

import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client: frames wait in a bounded queue and go to the socket while
 * fewer than windowBytes are in flight (the socket's completion callbacks free the
 * window). A client whose queue outgrows maxQueuedBytes is closed with 4008
 * "resume after=N", N = the last seq handed to its socket, which it will still
 * receive before the close frame. Nothing here ever blocks the caller.
 */
public final class LiveClient {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClient.class);
    public static final int LAGGING = 4008;

    private final ClientSink sink;
    private final LiveLimits limits;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long backlogBytes; // the part of queuedBytes that is a resume's replay (bounded by the feed, exempt from the lag rule)
    private long inflightBytes;
    private long maxBufferedBytes;
    private long handedSeq;
    private boolean draining;
    private boolean closed;
    private boolean laggedOut;
    private Integer closeCode;
    private String closeReason;

    public LiveClient(ClientSink sink, LiveLimits limits, long startSeq) {
        this.sink = sink;
        this.limits = limits;
        this.handedSeq = startSeq;
    }

    private record Queued(Frame frame, boolean backlog) {}

    /** Adds a live frame; closes the client with 4008 when it is too far behind. */
    public void offer(Frame f) {
        offer(f, false);
    }

    /** Adds a frame of a resume's replay: the feed bounds those, so they don't count as falling behind. */
    void offerBacklog(Frame f) {
        offer(f, true);
    }

    private void offer(Frame f, boolean backlog) {
        boolean lag;
        synchronized (this) {
            if (closed || closeCode != null) return;
            queue.addLast(new Queued(f, backlog));
            queuedBytes += f.bytes();
            if (backlog) backlogBytes += f.bytes();
            maxBufferedBytes = Math.max(maxBufferedBytes, queuedBytes + inflightBytes);
            lag = queuedBytes - backlogBytes > limits.maxQueuedBytes();
            if (lag) {
                laggedOut = true;
                closed = true;
                queue.clear();
                queuedBytes = 0;
                backlogBytes = 0;
            }
        }
        if (lag) {
            String reason = "resume after=" + handedSeqNow();
            LOG.info("closing a live client that fell behind: {}", reason);
            sink.close(LAGGING, reason);
            return;
        }
        drain();
    }

    /** The seq this client already has before its first frame (its resume point if it lags out at once). */
    synchronized void startAt(long seq) {
        handedSeq = seq;
    }

    /** Sends what is queued, then closes with this code (e.g. after a resync). */
    public void finish(int code, String reason) {
        synchronized (this) {
            if (closed) return;
            closeCode = code;
            closeReason = reason;
        }
        drain();
    }

    /** The socket is gone: forget everything queued. */
    public synchronized void detach() {
        closed = true;
        queue.clear();
        queuedBytes = 0;
        backlogBytes = 0;
    }

    private void drain() {
        synchronized (this) {
            if (draining || closed) return;
            draining = true;
        }
        while (true) {
            Frame f;
            boolean closeNow = false;
            synchronized (this) {
                if (closed || queue.isEmpty() || inflightBytes >= limits.windowBytes()) {
                    if (!closed && queue.isEmpty() && closeCode != null) {
                        closed = true;
                        closeNow = true;
                    }
                    draining = false;
                    f = null;
                } else {
                    Queued q = queue.pollFirst();
                    f = q.frame();
                    queuedBytes -= f.bytes();
                    if (q.backlog()) backlogBytes -= f.bytes();
                    inflightBytes += f.bytes();
                    if (f.seq() > handedSeq) handedSeq = f.seq();
                }
            }
            if (f == null) {
                if (closeNow) sink.close(closeCode, closeReason);
                return;
            }
            Frame sent = f;
            try {
                sink.send(sent.text(), err -> sent(sent, err));
            } catch (RuntimeException e) {
                sent(sent, e);
            }
        }
    }

    private void sent(Frame f, Throwable err) {
        synchronized (this) {
            inflightBytes -= f.bytes();
            if (err != null) {
                closed = true;
                queue.clear();
                queuedBytes = 0;
                backlogBytes = 0;
            }
        }
        if (err == null) drain();
    }

    private synchronized long handedSeqNow() {
        return handedSeq;
    }

    public synchronized boolean laggedOut() {
        return laggedOut;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Queued + in flight right now. */
    public synchronized long bufferedBytes() {
        return queuedBytes + inflightBytes;
    }

    /** The most this client ever had queued + in flight (the bound the tests check). */
    public synchronized long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public synchronized long handedSeq() {
        return handedSeq;
    }

    LiveLimits limits() {
        return limits;
    }
}
