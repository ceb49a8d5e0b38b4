package trainwatch.http;

import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import trainwatch.live.ClientSink;

/** The hub's view of a Jetty WebSocket session: asynchronous sends whose completion we count. */
final class JettySink implements ClientSink {
    private final Session session;
    private final HttpApp.ResponseCounts counts;

    JettySink(Session session) {
        this(session, null);
    }

    /** counts: where a slow client's 4008 close is counted (/metrics). */
    JettySink(Session session, HttpApp.ResponseCounts counts) {
        this.session = session;
        this.counts = counts;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        session.sendText(text, Callback.from(() -> done.accept(null), done));
    }

    @Override
    public void close(int code, String reason) {
        if (code == trainwatch.live.LiveClient.LAGGING && counts != null) counts.slowClientClosed();
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        if (session.isOpen()) session.disconnect();
    }
}
