package trainwatch.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

import trainwatch.json.Json;
import trainwatch.live.Frame;
import trainwatch.live.LiveClient;
import trainwatch.live.LiveLimits;
import trainwatch.sweep.SweepChange;
import trainwatch.sweep.SweepDetail;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepView;
import trainwatch.sweep.TrialView;

/**
 * WebSocket /api/sweeps/{id}/live (docs/sweeps.md): the detail on connect, then a
 * {@code trial} and a {@code summary} message per change the sweep service reports. Each
 * socket is a {@link LiveClient} (bounded queue, 4008 when it falls behind), like the run
 * feeds; pings, Origin checks and unusable frames are handled as in {@link LiveRoutes}.
 */
final class SweepLive {
    private final SweepService sweeps;
    private final LiveLimits limits;
    private final long pingMs;
    private final Map<String, Set<Subscriber>> bySweep = new ConcurrentHashMap<>();

    record SweepMessage(String type, SweepDetail sweep) {}

    record TrialMessage(String type, TrialView trial) {}

    record SummaryMessage(String type, SweepView sweep) {}

    SweepLive(SweepService sweeps, LiveLimits limits) {
        this.sweeps = sweeps;
        this.limits = limits;
        this.pingMs = limits.pingMs();
        sweeps.onChange(this::changed);
    }

    /**
     * One socket. Changes that arrive while its detail is being read are held and sent after
     * it: each is a whole trial or summary, so sending one the detail already holds is harmless,
     * and none that happened after the client registered is lost.
     */
    private static final class Subscriber {
        final LiveClient client;
        private List<Frame> held = new ArrayList<>();

        Subscriber(LiveClient client) {
            this.client = client;
        }

        synchronized void offer(Frame f) {
            if (held != null) held.add(f);
            else client.offer(f);
        }

        synchronized void start(Frame detail) {
            client.offer(detail);
            for (Frame f : held) client.offer(f);
            held = null;
        }
    }

    /** Refused before the upgrade with a JSON error: foreign Origin, a malformed id (400), an unknown sweep (404). */
    void beforeUpgrade(Context ctx) {
        Csrf.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
        sweeps.summary(ctx.pathParam("id"));
    }

    void sweep(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(pingMs, TimeUnit.MILLISECONDS);
            String id = ctx.pathParam("id");
            Subscriber s = new Subscriber(new LiveClient(new JettySink(ctx.session), limits, 0));
            ctx.attribute(LiveRoutes.CLIENT, s.client);
            ctx.attribute(SUBSCRIBER, s);
            bySweep.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(s);
            try {
                s.start(frame(new SweepMessage("sweep", sweeps.get(id))));
            } catch (RuntimeException e) {
                // deleted between the upgrade and now: say so and close, like a refused upgrade would
                s.start(trainwatch.live.Wire.error(e.getMessage() == null ? "the sweep is gone" : e.getMessage()));
                s.client.finish(1000, "no such sweep");
            }
        });
        ws.onMessage(LiveRoutes::message);
        ws.onBinaryMessage(LiveRoutes::binary);
        ws.onClose(this::leave);
        ws.onError(this::leave);
    }

    private static final String SUBSCRIBER = "trainwatch.sweep.subscriber";

    private void leave(WsContext ctx) {
        Subscriber s = ctx.attribute(SUBSCRIBER);
        if (s == null) return;
        s.client.detach();
        Set<Subscriber> set = bySweep.get(ctx.pathParam("id"));
        if (set != null) set.remove(s);
    }

    private void changed(SweepChange c) {
        Set<Subscriber> set = bySweep.get(c.sweep());
        if (set == null || set.isEmpty()) return;
        Frame trial = c.trial() == null ? null : frame(new TrialMessage("trial", c.trial()));
        Frame summary = c.summary() == null ? null : frame(new SummaryMessage("summary", c.summary()));
        for (Subscriber s : set) {
            if (trial != null) s.offer(trial);
            if (summary != null) s.offer(summary);
        }
    }

    private static Frame frame(Object message) {
        return new Frame(Json.write(message), -1);
    }
}
