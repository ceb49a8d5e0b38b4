package trainwatch.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/** A JDK WebSocket client that keeps every message; {@code reading=false} makes it read nothing until {@link #startReading()}. */
final class WsProbe implements WebSocket.Listener {
    final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean reading;
    WebSocket ws;

    static WsProbe open(String base, String path, boolean reading) throws Exception {
        WsProbe p = new WsProbe();
        p.reading = reading;
        p.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60)) // a cold server on a loaded box can take >10 s to upgrade
                .buildAsync(URI.create(base.replace("http://", "ws://") + path), p).get(90, TimeUnit.SECONDS);
        return p;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(Json.tree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    void startReading() {
        reading = true;
        ws.request(1);
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void abort() {
        ws.abort();
    }

    /**
     * The messages received so far, frozen: read seq and steps from one snapshot, never from
     * the live list twice (a message arriving in between would look like a duplicate).
     */
    WsProbe snapshot() {
        WsProbe frozen = new WsProbe();
        frozen.messages.addAll(messages);
        return frozen;
    }

    List<JsonNode> ofType(String type) {
        return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    long maxSeq() {
        long max = -1;
        for (JsonNode m : messages) if (!m.path("type").asText().equals("hello")) max = Math.max(max, m.path("seq").asLong(-1));
        return max;
    }

    /** Steps with a value of {@code tag}, in arrival order. */
    List<Long> steps(String tag) {
        List<Long> out = new ArrayList<>();
        for (JsonNode m : ofType("scalars")) {
            JsonNode steps = m.get("step"), vals = m.path("values").path(tag);
            for (int i = 0; i < steps.size(); i++) if (vals.has(i) && !vals.get(i).isNull()) out.add(steps.get(i).asLong());
        }
        return out;
    }

    boolean sawStatus(String... statuses) {
        for (JsonNode m : ofType("status")) for (String s : statuses) if (m.path("status").asText().equals(s)) return true;
        return false;
    }
}
