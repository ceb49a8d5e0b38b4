package trainwatch.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * THE access table: every HTTP route and WebSocket of the app, by method and route path exactly as
 * registered with Javalin ("/api/runs/{id}/stop"; "WS" for a WebSocket), and the least it asks of the
 * caller. Checked before every matched HTTP handler and before every WebSocket upgrade
 * (http/AuthGuard). A route with no line here is refused to everyone but admins, and
 * AccessMatrixTest fails naming it: add the route's line below, in the same commit as the route.
 * Static files (the dashboard's HTML, JS, CSS) are public: they hold no data.
 */
public final class AccessRules {
    public record Rule(String method, String path, Need need) {}

    public static final String WS = "WS";

    public static final List<Rule> RULES = List.of(
            // runs (docs/api.md "Runs")
            rule("GET", "/api/runs", Need.VIEWER),
            rule("POST", "/api/runs", Need.EDITOR),
            rule("POST", "/api/runs/delete", Need.EDITOR),
            rule("GET", "/api/runs/{id}", Need.VIEWER),
            rule("DELETE", "/api/runs/{id}", Need.EDITOR),
            rule("POST", "/api/runs/{id}/stop", Need.EDITOR),
            rule("POST", "/api/runs/{id}/archive", Need.EDITOR),
            rule("POST", "/api/runs/{id}/unarchive", Need.EDITOR),
            rule("GET", "/api/runs/{id}/scalars", Need.VIEWER),
            rule("GET", "/api/runs/{id}/filters", Need.VIEWER),
            rule("GET", "/api/runs/{id}/log", Need.VIEWER),
            rule("GET", "/api/runs/{id}/alerts", Need.VIEWER),
            rule("POST", "/api/runs/{id}/checks/{name}", Need.EDITOR),
            rule("POST", "/api/runs/{id}/resume", Need.EDITOR),
            rule("GET", "/api/runs/{id}/clock", Need.VIEWER),
            rule(WS, "/api/runs/{id}/live", Need.VIEWER),
            // notes, tags, export (docs/api.md "Notes, tags and export")
            rule("GET", "/api/runs/{id}/notes", Need.VIEWER),
            rule("POST", "/api/runs/{id}/notes", Need.EDITOR),
            rule("GET", "/api/runs/{id}/tags", Need.VIEWER),
            rule("POST", "/api/runs/{id}/tags", Need.EDITOR),
            rule("GET", "/api/runs/{id}/export", Need.VIEWER),
            rule("GET", "/api/disk", Need.VIEWER),
            rule(WS, "/api/live", Need.VIEWER),
            // sweeps (docs/api.md "Sweeps")
            rule("GET", "/api/sweeps", Need.VIEWER),
            rule("POST", "/api/sweeps", Need.EDITOR),
            rule("GET", "/api/sweeps/{id}", Need.VIEWER),
            rule("DELETE", "/api/sweeps/{id}", Need.EDITOR),
            rule("POST", "/api/sweeps/{id}/stop", Need.EDITOR),
            rule("POST", "/api/sweeps/{id}/refine", Need.EDITOR),
            rule(WS, "/api/sweeps/live", Need.VIEWER),
            rule(WS, "/api/sweeps/{id}/live", Need.VIEWER),
            // ensembles (docs/api.md "Ensembles")
            rule("GET", "/api/ensembles", Need.VIEWER),
            rule("POST", "/api/ensembles", Need.EDITOR),
            rule("GET", "/api/ensembles/{id}", Need.VIEWER),
            rule("DELETE", "/api/ensembles/{id}", Need.EDITOR),
            rule("GET", "/api/ensembles/{id}/log", Need.VIEWER),
            // ingest (docs/api.md "Ingest"): records take an editor or the run's own key
            rule("POST", "/api/ingest/runs", Need.EDITOR),
            rule("POST", "/api/ingest/runs/{id}/records", Need.INGEST),
            // the run's own key reads its config (train --remote URL --run ID), and nothing else; viewers any
            rule("GET", "/api/ingest/runs/{id}/config", Need.INGEST_READ),
            // checkpoints over HTTP: a trainer elsewhere sends them (editor or the run's key), a resumed trainer reads them back
            rule("PUT", "/api/ingest/runs/{id}/checkpoints/{name}", Need.INGEST),
            rule("GET", "/api/ingest/runs/{id}/checkpoints/{name}", Need.INGEST_READ),
            // an ensemble evaluation running as a Kubernetes Job reports with its own key (or an editor's token)
            rule("POST", "/api/ingest/ensembles/{id}/result", Need.INGEST),
            // a check running as a Kubernetes Job reports here with its own key (or an editor's token)
            rule("POST", "/api/ingest/runs/{id}/checks/{name}", Need.INGEST),
            // auth (docs/auth.md)
            rule("GET", "/api/session", Need.PUBLIC),
            rule("POST", "/api/login", Need.PUBLIC),
            rule("POST", "/api/logout", Need.PUBLIC),
            rule("GET", "/api/tokens", Need.ADMIN),
            rule("POST", "/api/tokens", Need.ADMIN),
            rule("DELETE", "/api/tokens/{name}", Need.ADMIN),
            rule("GET", "/api/audit", Need.ADMIN),
            // the server's own figures (docs/api.md "Metrics"): public to the same roles as the dashboard
            rule("GET", "/metrics", Need.VIEWER)
            // add new routes' lines above this one
    );

    private static final Map<String, Need> BY_ROUTE = new HashMap<>();

    static {
        for (Rule r : RULES) {
            if (BY_ROUTE.put(key(r.method(), r.path()), r.need()) != null) throw new IllegalStateException("two access rules for " + r.method() + " " + r.path());
        }
    }

    private AccessRules() {}

    private static Rule rule(String method, String path, Need need) {
        return new Rule(method, path, need);
    }

    /** The rule of a route (method "GET"/"POST"/... or {@link #WS}), or null when it has none. */
    public static Need need(String method, String routePath) {
        return BY_ROUTE.get(key(method, routePath));
    }

    /** A route without a rule is treated as admin-only (fail closed) until its line is added. */
    public static Need needOrAdmin(String method, String routePath) {
        Need n = need(method, routePath);
        return n == null ? Need.ADMIN : n;
    }

    /** What to tell whoever added a route without a rule. */
    public static String missing(String method, String routePath) {
        return method + " " + routePath + " has no access rule: add rule(\"" + method + "\", \"" + routePath
                + "\", Need.VIEWER|EDITOR|ADMIN|PUBLIC) to RULES in server/src/main/java/trainwatch/auth/AccessRules.java";
    }

    private static String key(String method, String path) {
        return method + " " + path;
    }
}
