package trainwatch.live;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/** A socket double: either completes every send at once, or (stalled) never completes any, like a client that reads nothing. */
final class RecordingSink implements ClientSink {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<Consumer<Throwable>> pending = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;
    volatile boolean disconnected;
    private final boolean stalled;

    RecordingSink(boolean stalled) {
        this.stalled = stalled;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        sent.add(text);
        if (stalled) pending.add(done);
        else done.accept(null);
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    @Override
    public void disconnect() {
        disconnected = true;
    }

    /** The stalled client starts reading: every send so far completes. */
    void release() {
        for (Consumer<Throwable> d : pending) {
            pending.remove(d);
            d.accept(null);
        }
    }

    List<JsonNode> messages() {
        return sent.stream().map(Json::tree).toList();
    }

    /** Every step of {@code tag} in the scalars messages received, in order. */
    List<Long> steps(String tag) {
        List<Long> out = new java.util.ArrayList<>();
        for (JsonNode m : messages()) {
            if (!m.path("type").asText().equals("scalars")) continue;
            JsonNode steps = m.get("step"), vals = m.path("values").path(tag);
            for (int i = 0; i < steps.size(); i++) if (vals.has(i) && !vals.get(i).isNull()) out.add(steps.get(i).asLong());
        }
        return out;
    }
}
