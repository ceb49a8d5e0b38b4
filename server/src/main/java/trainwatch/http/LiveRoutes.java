package trainwatch.http;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;

import trainwatch.live.LiveClient;
import trainwatch.live.LiveHub;
import trainwatch.live.RunListFeed;
import trainwatch.live.Wire;
import trainwatch.json.Json;
import trainwatch.run.RunService;

/** The WebSocket endpoints: /api/runs/{id}/live[?after=SEQ] and /api/live. */
final class LiveRoutes {
    static final String CLIENT = "trainwatch.client";
    /** The largest text or binary message Jetty accepts; a longer one closes the connection with 1009 (docs/api.md). */
    static final int MAX_FRAME_BYTES = 1 << 20;
    /** Longer messages are answered with an error unread: clients only ever send {"type":"ping"}. */
    static final int MAX_USEFUL_CHARS = 64 * 1024;
    static final String BINARY = "binary frames are not used: send JSON text";

    private final RunService runs;
    private final LiveHub hub;
    private final RunListFeed list;
    private final long pingMs;
    private final HttpApp.ResponseCounts counts;
    /** Set while a connection is counted among the open WebSocket clients (close and error may both come). */
    static final String COUNTED = "trainwatch.counted";

    LiveRoutes(RunService runs, LiveHub hub, RunListFeed list, long pingMs, HttpApp.ResponseCounts counts) {
        this.runs = runs;
        this.hub = hub;
        this.list = list;
        this.pingMs = pingMs;
        this.counts = counts;
    }

    /** Refused before the upgrade (plain JSON errors): foreign Origin, bad id, unknown run, bad after. */
    void beforeRunUpgrade(Context ctx) {
        Csrf.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
        runs.requireStreamable(ctx.pathParam("id"));
        if (ctx.queryParam("after") != null) ctx.queryParamAsClass("after", Long.class).get(); // 400 naming "after" when not a number
    }

    void beforeListUpgrade(Context ctx) {
        Csrf.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    }

    void run(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(pingMs, TimeUnit.MILLISECONDS);
            Long after = ctx.queryParam("after") == null ? null : ctx.queryParamAsClass("after", Long.class).get();
            opened(ctx);
            ctx.attribute(CLIENT, hub.connect(ctx.pathParam("id"), new JettySink(ctx.session, counts), after));
        });
        ws.onMessage(LiveRoutes::message);
        ws.onBinaryMessage(LiveRoutes::binary);
        ws.onClose(ctx -> leave(ctx, true));
        ws.onError(ctx -> leave(ctx, true));
    }

    void runList(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(pingMs, TimeUnit.MILLISECONDS);
            opened(ctx);
            ctx.attribute(CLIENT, list.connect(new JettySink(ctx.session, counts)));
        });
        ws.onMessage(LiveRoutes::message);
        ws.onBinaryMessage(LiveRoutes::binary);
        ws.onClose(ctx -> leave(ctx, false));
        ws.onError(ctx -> leave(ctx, false));
    }

    /** Clients have nothing to say but {"type":"ping"}; anything else gets an error message and the connection stays open. */
    static void message(WsMessageContext ctx) {
        LiveClient c = ctx.attribute(CLIENT);
        if (c == null) return;
        String text = ctx.message();
        if (text.length() > MAX_USEFUL_CHARS) {
            c.offer(Wire.error("message too long (" + text.length() + " characters): the server accepts only {\"type\":\"ping\"}"));
            return;
        }
        JsonNode msg = Json.tree(text);
        if (msg != null && msg.isObject() && "ping".equals(msg.path("type").asText())) {
            c.offer(Wire.pong());
            return;
        }
        c.offer(Wire.error(msg == null ? "not JSON: the server accepts only {\"type\":\"ping\"}" : "unknown message: the server accepts only {\"type\":\"ping\"}"));
    }

    static void binary(WsBinaryMessageContext ctx) {
        LiveClient c = ctx.attribute(CLIENT);
        if (c != null) c.offer(Wire.error(BINARY));
    }

    /** A WebSocket upgrade request (Javalin routes these by the same header). */
    static boolean isUpgrade(Context ctx) {
        return ctx.header("Sec-WebSocket-Version") != null;
    }

    private void opened(WsContext ctx) {
        ctx.attribute(COUNTED, Boolean.TRUE);
        counts.webSocketOpened();
    }

    private void leave(WsContext ctx, boolean run) {
        synchronized (ctx.session) {
            if (Boolean.TRUE.equals(ctx.attribute(COUNTED))) {
                ctx.attribute(COUNTED, Boolean.FALSE);
                counts.webSocketClosed();
            }
        }
        LiveClient c = ctx.attribute(CLIENT);
        if (c == null) return;
        if (run) hub.disconnect(ctx.pathParam("id"), c);
        else list.disconnect(c);
    }
}
