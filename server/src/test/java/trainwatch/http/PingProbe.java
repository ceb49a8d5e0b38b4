package trainwatch.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A WebSocket client that counts the control frames it gets: the server's keepalive pings and the pongs to its own pings. */
final class PingProbe implements WebSocket.Listener {
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger pongs = new AtomicInteger();
    final AtomicInteger texts = new AtomicInteger();
    WebSocket ws;

    static PingProbe open(String base, String path) throws Exception {
        PingProbe p = new PingProbe();
        p.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60)) // a cold server on a loaded box can take >10 s to upgrade
                .buildAsync(URI.create(base.replace("http://", "ws://") + path), p).get(90, TimeUnit.SECONDS);
        return p;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last) texts.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        return WebSocket.Listener.super.onPing(webSocket, message); // answers with a pong and asks for the next message
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.incrementAndGet();
        webSocket.request(1);
        return null;
    }
}
