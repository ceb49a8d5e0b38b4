package trainwatch.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;

import trainwatch.json.Json;
import trainwatch.live.Frame;
import trainwatch.live.LiveClient;
import trainwatch.live.LiveLimits;

import trainwatch.sweep.ParamView;
import trainwatch.sweep.SweepChange;
import trainwatch.sweep.SweepColumns;
import trainwatch.sweep.SweepDetail;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepView;
import trainwatch.sweep.TrialColumns;
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

    /** The first message: the summary as {@code sweep}, spec / params / warnings, and the trials as columns. */
    record SweepMessage(String type, SweepView sweep, JsonNode spec, List<ParamView> params, List<SweepDetail.WarningView> warnings,
                        TrialColumns trials) {
        static SweepMessage of(SweepColumns c) {
            return new SweepMessage("sweep", c.sweep(), c.spec(), c.params(), c.warnings(), c.trials());
        }
    }

    record TrialMessage(String type, TrialView trial) {}

    record SummaryMessage(String type, SweepView sweep) {}

    /** The sweep list socket's first message: every sweep, newest first (as GET /api/sweeps). */
    record ListMessage(String type, List<SweepView> sweeps) {}

    record DeletedMessage(String type, String id) {}

    private final Set<Subscriber> listSubscribers = ConcurrentHashMap.newKeySet();

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
                s.start(frame(SweepMessage.of(sweeps.columns(id))));
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

    /** Refused before the upgrade with a JSON 403 for a foreign Origin. */
    void beforeListUpgrade(Context ctx) {
        Csrf.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    }

    /**
     * WebSocket /api/sweeps/live: the sweep list, live. {@code sweeps} on connect, then a
     * {@code summary} per change of any sweep (a new one included) and {@code deleted} when one
     * is deleted, so the sweeps page never polls.
     */
    void list(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(pingMs, TimeUnit.MILLISECONDS);
            Subscriber s = new Subscriber(new LiveClient(new JettySink(ctx.session), limits, 0));
            ctx.attribute(LiveRoutes.CLIENT, s.client);
            ctx.attribute(SUBSCRIBER, s);
            listSubscribers.add(s);
            s.start(frame(new ListMessage("sweeps", sweeps.list())));
        });
        ws.onMessage(LiveRoutes::message);
        ws.onBinaryMessage(LiveRoutes::binary);
        ws.onClose(this::leaveList);
        ws.onError(this::leaveList);
    }

    private void leaveList(WsContext ctx) {
        Subscriber s = ctx.attribute(SUBSCRIBER);
        if (s == null) return;
        s.client.detach();
        listSubscribers.remove(s);
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
        if (!listSubscribers.isEmpty()) {
            Frame f = c.isDeleted() ? frame(new DeletedMessage("deleted", c.sweep()))
                    : c.summary() == null ? null : frame(new SummaryMessage("summary", c.summary()));
            if (f != null) for (Subscriber s : listSubscribers) s.offer(f);
        }
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
