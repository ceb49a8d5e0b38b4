package trainwatch.http;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.javalin.websocket.WsHandlerEntry;
import io.javalin.websocket.WsHandlerType;

import trainwatch.auth.AccessRules;
import trainwatch.auth.Authenticator;
import trainwatch.auth.AuthService;
import trainwatch.auth.Caller;
import trainwatch.auth.Need;
import trainwatch.run.RunException;

/**
 * Applies {@link AccessRules} to every request: before each matched HTTP handler and before each
 * WebSocket upgrade, it finds the route (method + route path, as registered), resolves the caller
 * (Bearer token, session cookie, trusted proxy header) and refuses 401 (unknown caller) or 403 (role too
 * low). It sets {@link Who#ATTRIBUTE} to an authenticated caller's name; after each write it appends
 * an audit line. Static files are not routes and stay public.
 */
final class AuthGuard {
    private static final Logger LOG = LoggerFactory.getLogger(AuthGuard.class);
    static final String CALLER = "trainwatch.caller";
    /** Set by the guard when an editor (not a run key) sends an ingest batch: the ingest service then skips the key check. */
    static final String INGEST_TRUSTED = "trainwatch.ingest.trusted";
    /** A route may name what it acted on (a token's name, a new run's id) for the audit line. */
    static final String AUDIT_TARGET = "trainwatch.audit.target";

    private final AuthService auth;
    private volatile List<ParsedEndpoint> http = List.of();
    private volatile List<WsHandlerEntry> ws = List.of();

    AuthGuard(AuthService auth) {
        this.auth = auth;
    }

    /** Reads the app's own route table once it is built; warns about any route without a rule (it is admin-only). */
    void attach(Javalin app) {
        http = List.copyOf(app.unsafe.internalRouter.allHttpHandlers());
        ws = app.unsafe.internalRouter.allWsHandlers().stream().filter(e -> e.getType() == WsHandlerType.WEBSOCKET).toList();
        for (ParsedEndpoint p : http) {
            if (p.endpoint.method.isHttpMethod() && AccessRules.need(p.endpoint.method.name(), p.endpoint.path) == null)
                LOG.warn("{} (admin-only until then)", AccessRules.missing(p.endpoint.method.name(), p.endpoint.path));
        }
        for (WsHandlerEntry e : ws) {
            if (AccessRules.need(AccessRules.WS, e.getPath()) == null) LOG.warn("{} (admin-only until then)", AccessRules.missing(AccessRules.WS, e.getPath()));
        }
    }

    /** The endpoint a request matches (its route path: "/api/runs/{id}"), or null (static files, unknown paths). */
    ParsedEndpoint endpoint(Context ctx) {
        HandlerType method = ctx.method();
        String path = ctx.path();
        for (ParsedEndpoint p : http) {
            if (p.endpoint.method.equals(method) && p.matches(path)) return p;
        }
        return null;
    }

    String wsRoute(String path) {
        for (WsHandlerEntry e : ws) if (e.matches(path)) return e.getPath();
        return null;
    }

    /** Before every HTTP request. */
    void http(Context ctx) {
        if (LiveRoutes.isUpgrade(ctx)) return; // judged in upgrade(), against the WebSocket's own rule
        ParsedEndpoint e = endpoint(ctx);
        if (e == null) return;
        check(ctx, AccessRules.needOrAdmin(ctx.method().name(), e.endpoint.path));
    }

    /** Before every WebSocket upgrade: browsers cannot set headers, so the session cookie is what counts there. */
    void upgrade(Context ctx) {
        String route = wsRoute(ctx.path());
        if (route == null) return;
        check(ctx, AccessRules.needOrAdmin(AccessRules.WS, route));
    }

    private void check(Context ctx, Need need) {
        Authenticator.Result r = auth.authenticator.resolve(ctx.header("Authorization"), ctx.cookie(Authenticator.COOKIE),
                ctx.req().getRemoteAddr(), ctx::header);
        Caller c = r.caller();
        if (c != null) {
            ctx.attribute(CALLER, c);
            if (c.authenticated()) ctx.attribute(Who.ATTRIBUTE, c.name());
        }
        if (need == Need.PUBLIC) return;
        if (need == Need.INGEST) {
            // an editor may write any remote run; anyone else must hold the run's own key, which the ingest service checks
            if (c != null && c.authenticated() && c.role().atLeast(need.role)) ctx.attribute(INGEST_TRUSTED, Boolean.TRUE);
            return;
        }
        if (need == Need.INGEST_READ) {
            // a viewer reads any run's checkpoints; anyone else must hold the run's own key, which the route checks
            if (c != null && c.role().atLeast(need.role)) ctx.attribute(INGEST_TRUSTED, Boolean.TRUE);
            return;
        }
        if (c == null) {
            throw RunException.of(RunException.Kind.UNAUTHORIZED, "Authorization", r.badCredentials()
                    ? "is not valid (a revoked or unknown token, or an expired session): log in again"
                    : "is required: log in, or send \"Authorization: Bearer <token>\" (docs/auth.md)");
        }
        if (!c.role().atLeast(need.role)) {
            throw RunException.of(RunException.Kind.FORBIDDEN, "role", "is " + c.role().wire() + ": this needs " + need.role.wire() + " or above");
        }
    }

    /**
     * Why an open WebSocket may no longer stay open (its token revoked, its session logged out or expired,
     * its role lowered), judged with the credentials it was opened with; null while it may.
     */
    String deniedNow(String authorization, String sessionId, String remoteAddr, java.util.function.UnaryOperator<String> header, String path) {
        String route = wsRoute(path);
        Need need = route == null ? Need.ADMIN : AccessRules.needOrAdmin(AccessRules.WS, route);
        if (need == Need.PUBLIC) return null;
        Caller c = auth.authenticator.resolve(authorization, sessionId, remoteAddr, header).caller();
        if (c == null) return "signed out: log in again";
        if (!c.role().atLeast(need.role)) return "role is now " + c.role().wire();
        return null;
    }

    /** After every request: a write to the API (any method but GET/HEAD/OPTIONS on a route) gets its audit line, refused ones too. */
    void audit(Context ctx) {
        String m = ctx.method().name();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || LiveRoutes.isUpgrade(ctx)) return;
        ParsedEndpoint e = endpoint(ctx);
        if (e == null) return;
        boolean ingest = AccessRules.need(m, e.endpoint.path) == Need.INGEST;
        // metric batches are data, not decisions: thousands a second from remote trainers, audited only when refused
        if (ingest && ctx.statusCode() < 400) return;
        Caller c = ctx.attribute(CALLER);
        String who = c == null ? (ingest ? "run-key" : "anonymous") : c.name();
        Object target = ctx.attribute(AUDIT_TARGET);
        if (target == null) target = firstParam(e.extractPathParams(ctx.path()));
        if (target == null && ctx.statusCode() == 201) target = createdId(ctx);
        auth.audit.append(who, m + " " + e.endpoint.path, target == null ? null : target.toString(), ctx.statusCode(), ctx.req().getRemoteAddr());
    }

    private static String firstParam(Map<String, String> params) {
        if (params.containsKey("id")) return params.get("id");
        return params.isEmpty() ? null : params.values().iterator().next();
    }

    /** The "id" of a 201 answer ({"id": ...}), which is what a create made. */
    private static String createdId(Context ctx) {
        try {
            String body = ctx.result();
            if (body == null || body.length() > 100_000) return null;
            var n = trainwatch.json.Json.tree(body);
            return n != null && n.path("id").isTextual() ? n.path("id").asText() : null;
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
