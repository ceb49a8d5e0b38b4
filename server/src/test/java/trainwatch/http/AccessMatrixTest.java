package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.auth.AccessRules;
import trainwatch.auth.Need;
import trainwatch.auth.Role;
import trainwatch.auth.TokenStore;

/**
 * Every HTTP route and WebSocket of the app, taken from its own router, against every kind of caller:
 * anonymous, viewer, editor, admin and a revoked token. A caller below the route's rule is refused
 * (401 when unknown, 403 when the role is too low); a caller at or above it is not (whatever the route
 * then answers: 404 for a run that does not exist counts as let in). A route without a rule fails here,
 * naming the line to add to auth/AccessRules.
 */
class AccessMatrixTest {
    private static final String NONE = "matrix-none";
    /** A body every create route refuses as invalid: the matrix must not start anything. */
    private static final String BODY = "{\"matrix_probe\": true}";

    @TempDir
    static Path runs;
    static TrainwatchServer server;
    static final Map<String, String> SECRETS = new LinkedHashMap<>();
    static String remoteRun;

    enum Caller { ANONYMOUS, VIEWER, EDITOR, ADMIN, REVOKED }

    @BeforeAll
    static void start() throws Exception {
        TokenStore tokens = new TokenStore(runs, Clock.systemUTC());
        for (Role r : Role.values()) SECRETS.put(r.name(), tokens.create("matrix-" + r.wire(), r, "test").secret());
        SECRETS.put(Caller.REVOKED.name(), tokens.create("matrix-revoked", Role.ADMIN, "test").secret());
        tokens.revoke("matrix-revoked");
        server = new TrainwatchServer(ServerFixture.options(runs).withLauncher(HardeningTest.NO_TRAINER)).start();
        RawHttp.Res made = send(Caller.EDITOR, "POST", "/api/ingest/runs", "{\"name\": \"matrix-remote\"}");
        assertEquals(201, made.status(), made.body());
        remoteRun = made.json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        ServerFixture.assertNoFaults(server);
    }

    @Test
    void every_route_of_the_app_has_an_access_rule() {
        List<String> missing = new ArrayList<>();
        for (String route : server.routes()) {
            String[] mp = route.split(" ", 2);
            if (AccessRules.need(mp[0], mp[1]) == null) missing.add(AccessRules.missing(mp[0], mp[1]));
        }
        assertEquals(List.of(), missing, "routes without an access rule (they are admin-only until they get one)");
        assertTrue(server.routes().size() > 30, "the route table was read: " + server.routes());
    }

    @Test
    void every_caller_gets_what_the_rule_of_each_route_says() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String route : server.routes()) {
            String[] mp = route.split(" ", 2);
            Need need = intended(mp[0], mp[1]); // the policy, stated independently of the table the server enforces
            String path = mp[1].replace("{id}", mp[1].startsWith("/api/ingest/") ? remoteRun : NONE).replace("{name}", NONE);
            for (Caller c : Caller.values()) {
                RawHttp.Res r = mp[0].equals(AccessRules.WS) ? upgrade(c, path) : send(c, mp[0], path, mp[0].equals("GET") ? null : BODY);
                String expected = expected(need, c);
                boolean ok = switch (expected) {
                    case "401" -> r.status() == 401;
                    case "403" -> r.status() == 403;
                    case "refused" -> r.status() == 401 || r.status() == 403;
                    default -> r.status() != 401 && r.status() != 403 && r.status() < 500;
                };
                if (!ok) wrong.add(route + " as " + c + ": expected " + expected + ", got " + r.status() + " " + r.body());
                checked++;
            }
        }
        assertEquals(List.of(), wrong, "callers treated against the rule");
        assertTrue(checked >= 150, "checked " + checked);
    }

    /**
     * The policy of docs/auth.md, written apart from AccessRules so a wrong line there fails the matrix:
     * reading is for viewers, every write for editors, tokens and the audit log for admins, logging in for
     * anyone; ingest batches take an editor or the run's key. A route meant to differ goes in EXCEPTIONS.
     */
    static Need intended(String method, String route) {
        Need special = EXCEPTIONS.get(method + " " + route);
        if (special != null) return special;
        if (route.startsWith("/api/tokens") || route.startsWith("/api/audit")) return Need.ADMIN;
        if (method.equals("GET") || method.equals(AccessRules.WS)) return Need.VIEWER;
        return Need.EDITOR;
    }

    static final Map<String, Need> EXCEPTIONS = Map.of(
            "GET /api/session", Need.PUBLIC,
            "POST /api/login", Need.PUBLIC,
            "POST /api/logout", Need.PUBLIC,
            "POST /api/ingest/runs/{id}/records", Need.INGEST,
            "GET /api/ingest/runs/{id}/config", Need.INGEST_READ,
            "PUT /api/ingest/runs/{id}/checkpoints/{name}", Need.INGEST,
            "GET /api/ingest/runs/{id}/checkpoints/{name}", Need.INGEST_READ,
            "POST /api/ingest/runs/{id}/checks/{name}", Need.INGEST,
            "POST /api/ingest/ensembles/{id}/result", Need.INGEST);

    @Test
    void the_access_table_follows_the_policy() {
        List<String> differ = new ArrayList<>();
        for (String route : server.routes()) {
            String[] mp = route.split(" ", 2);
            Need want = intended(mp[0], mp[1]);
            Need got = AccessRules.need(mp[0], mp[1]);
            if (got != null && got != want) differ.add(route + ": AccessRules says " + got + ", the policy " + want
                    + " (if meant, add it to AccessMatrixTest.EXCEPTIONS)");
        }
        assertEquals(List.of(), differ);
    }

    /** "401" (unknown caller), "403" (role too low), "refused" (either), "allowed". */
    static String expected(Need need, Caller c) {
        if (need == Need.PUBLIC) return "allowed";
        if (need == Need.INGEST_READ) {
            // a viewer or the run's own key; a revoked token is neither
            return switch (c) {
                case ANONYMOUS -> "401";
                case REVOKED -> "refused";
                default -> "allowed";
            };
        }
        if (need == Need.INGEST) {
            // the run's own key would pass; a viewer's token or a revoked one is not that key
            return switch (c) {
                case ANONYMOUS -> "401";
                case VIEWER, REVOKED -> "refused";
                default -> "allowed";
            };
        }
        return switch (c) {
            case ANONYMOUS, REVOKED -> "401";
            case VIEWER -> need.role.atLeast(Role.EDITOR) ? "403" : "allowed";
            case EDITOR -> need.role == Role.ADMIN ? "403" : "allowed";
            case ADMIN -> "allowed";
        };
    }

    static RawHttp.Res send(Caller c, String method, String path, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        if (c != Caller.ANONYMOUS) h.put("Authorization", "Bearer " + SECRETS.get(c.name()));
        return RawHttp.request(server.port(), method, path, "127.0.0.1:" + server.port(), h, body);
    }

    static RawHttp.Res upgrade(Caller c, String path) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Upgrade", "websocket");
        h.put("Connection", "Upgrade");
        h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        h.put("Sec-WebSocket-Version", "13");
        if (c != Caller.ANONYMOUS) h.put("Authorization", "Bearer " + SECRETS.get(c.name()));
        return RawHttp.request(server.port(), "GET", path, "127.0.0.1:" + server.port(), h, null);
    }

    /** Loopback without tokens: nothing changes, nobody logs in (ingest batches still need their run's key, as before). */
    @Test
    void a_loopback_server_without_tokens_lets_everyone_do_everything(@TempDir Path open) throws Exception {
        try (TrainwatchServer plain = new TrainwatchServer(ServerFixture.options(open).withLauncher(HardeningTest.NO_TRAINER)).start()) {
            List<String> wrong = new ArrayList<>();
            for (String route : plain.routes()) {
                String[] mp = route.split(" ", 2);
                if (mp[1].startsWith("/api/ingest/runs/") || mp[1].startsWith("/api/ingest/ensembles/")) continue; // a key's, not a role's
                String path = mp[1].replace("{id}", NONE).replace("{name}", NONE);
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Content-Type", "application/json");
                RawHttp.Res r;
                if (mp[0].equals(AccessRules.WS)) {
                    h.put("Upgrade", "websocket");
                    h.put("Connection", "Upgrade");
                    h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
                    h.put("Sec-WebSocket-Version", "13");
                    r = RawHttp.request(plain.port(), "GET", path, "127.0.0.1:" + plain.port(), h, null);
                } else {
                    r = RawHttp.request(plain.port(), mp[0], path, "127.0.0.1:" + plain.port(), h, mp[0].equals("GET") ? null : BODY);
                }
                if (r.status() == 401 || r.status() == 403) wrong.add(route + " -> " + r.status() + " " + r.body());
            }
            assertEquals(List.of(), wrong, "refused on an open loopback server");
            assertEquals(0, plain.stats.count(500, 600));
            assertTrue(Files.notExists(open.resolve(".auth").resolve("tokens.json")), "no token file appears by itself");
        }
    }
}
