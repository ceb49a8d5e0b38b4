package trainwatch.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

/**
 * Every open WebSocket, judged again each {@link #RECHECK_MS} with the credentials it was opened
 * with: a token revoked (from the admin page or the command line), a logout or an expired session
 * closes its sockets with {@link #SIGNED_OUT}, as it ends that caller's REST access at once. The
 * dashboard then shows its login page.
 */
final class OpenSockets {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSockets.class);
    static final long RECHECK_MS = 1_000;
    /** The close code of a socket whose caller is no longer signed in (4000-4999: the application's own). */
    static final int SIGNED_OUT = 4001;

    /** Re-checks done by every server in this JVM (tests wait for one to pass instead of sleeping). */
    static final java.util.concurrent.atomic.AtomicLong RECHECKS = new java.util.concurrent.atomic.AtomicLong();

    private final AuthGuard guard;
    private final Map<String, WsContext> open = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    OpenSockets(AuthGuard guard) {
        this.guard = guard;
    }

    /** A before-handler for every WebSocket route: remembers each socket while it is open. */
    void track(WsConfig ws) {
        ws.onConnect(c -> open.put(c.sessionId(), c));
        ws.onClose(c -> open.remove(c.sessionId()));
        ws.onError(c -> open.remove(c.sessionId()));
    }

    void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "trainwatch-socket-auth");
            th.setDaemon(true);
            return th;
        });
        t.scheduleWithFixedDelay(this::recheck, RECHECK_MS, RECHECK_MS, TimeUnit.MILLISECONDS);
        timer = t;
    }

    void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) t.shutdownNow();
    }

    int size() {
        return open.size();
    }

    private void recheck() {
        for (WsContext c : open.values()) {
            try {
                String denied = guard.deniedNow(c.header("Authorization"), c.cookie(trainwatch.auth.Authenticator.COOKIE),
                        address(c.session.getRemoteSocketAddress()), c::header, c.session.getUpgradeRequest().getRequestURI().getPath());
                if (denied == null) continue;
                open.remove(c.sessionId());
                c.closeSession(SIGNED_OUT, denied);
            } catch (RuntimeException e) {
                // a socket closing under us: its onClose removes it; the next tick looks again
                LOG.debug("could not re-check a WebSocket: {}", e.toString());
            }
        }
        RECHECKS.incrementAndGet();
    }

    private static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
