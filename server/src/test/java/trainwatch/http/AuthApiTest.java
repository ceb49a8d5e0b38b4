package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.auth.AuthSettings;
import trainwatch.auth.Role;
import trainwatch.auth.TokenStore;
import trainwatch.json.Json;

/**
 * Tokens, sessions and the audit log through the real HTTP API of a loopback server that has tokens:
 * login and logout, revocation ending sessions at once, throttled logins, ingest by editors and by run
 * keys, audit lines naming who did what, and no secret in plaintext on disk or in the log.
 */
class AuthApiTest {
    @TempDir
    static Path runs;
    static TrainwatchServer server;
    static String admin, editor, viewer;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static PrintStream realErr, realOut;
    static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        realErr = System.err;
        realOut = System.out;
        // slf4j-simple writes to whatever System.err is at each line: keep a copy of everything the server logs
        System.setErr(new PrintStream(new Tee(realErr, LOG), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(realOut, LOG), true, StandardCharsets.UTF_8));
        TokenStore tokens = new TokenStore(runs, Clock.systemUTC());
        admin = tokens.create("root", Role.ADMIN, "test").secret();
        editor = tokens.create("eve", Role.EDITOR, "test").secret();
        viewer = tokens.create("vic", Role.VIEWER, "test").secret();
        SECRETS.addAll(List.of(admin, editor, viewer));
        server = new TrainwatchServer(ServerFixture.options(runs).withLauncher(HardeningTest.NO_TRAINER)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        System.setErr(realErr);
        System.setOut(realOut);
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        ServerFixture.assertNoFaults(server);
    }

    static RawHttp.Res call(String method, String path, Map<String, String> headers, String body) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        if (body != null) h.putIfAbsent("Content-Type", "application/json");
        return RawHttp.request(server.port(), method, path, "127.0.0.1:" + server.port(), h, body);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static Map<String, String> cookie(String session) {
        return Map.of("Cookie", "tw_session=" + session);
    }

    /** Logs in and returns the session cookie's value, checking its attributes. */
    static String login(String token) {
        RawHttp.Res r = call("POST", "/api/login", Map.of(), "{\"token\": \"" + token + "\"}");
        assertEquals(200, r.status(), r.body());
        String set = r.headers().get("set-cookie");
        assertNotNull(set, "a session cookie is set: " + r.headers());
        assertTrue(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Max-Age="), set);
        assertFalse(set.contains("Secure"), "no Secure on a plain-http server: " + set);
        String value = set.substring("tw_session=".length(), set.indexOf(';'));
        SECRETS.add(value);
        return value;
    }

    @Test
    void anonymous_requests_get_401_and_the_session_route_says_login_is_needed() {
        assertEquals(401, call("GET", "/api/runs", Map.of(), null).status());
        JsonNode s = call("GET", "/api/session", Map.of(), null).json();
        assertTrue(s.get("auth_required").asBoolean(), s.toString());
        assertTrue(s.get("name").isNull(), s.toString());
        assertEquals(200, call("GET", "/", Map.of(), null).status(), "the dashboard's files are public: the login page is one of them");
    }

    @Test
    void a_session_cookie_reads_and_a_websocket_upgrade_needs_it() {
        String session = login(viewer);
        assertEquals(200, call("GET", "/api/runs", cookie(session), null).status());
        JsonNode me = call("GET", "/api/session", cookie(session), null).json();
        assertEquals("vic", me.get("name").asText());
        assertEquals("viewer", me.get("role").asText());
        Map<String, String> up = new LinkedHashMap<>(Map.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"));
        assertEquals(401, call("GET", "/api/live", up, null).status(), "no session, no live stream");
        up.putAll(cookie(session));
        assertEquals(101, call("GET", "/api/live", up, null).status());
        assertEquals(403, call("POST", "/api/runs", cookie(session), "{}").status(), "a viewer cannot start runs");
        RawHttp.Res out = call("POST", "/api/logout", cookie(session), "{}");
        assertEquals(200, out.status());
        assertTrue(out.headers().get("set-cookie").contains("Max-Age=0"), out.headers().toString());
        assertEquals(401, call("GET", "/api/runs", cookie(session), null).status(), "logged out");
    }

    @Test
    void revoking_a_token_ends_its_sessions_at_once_even_from_another_process() throws Exception {
        String secret = new TokenStore(runs, Clock.systemUTC()).create("short-lived", Role.EDITOR, "test").secret();
        SECRETS.add(secret);
        String session = login(secret);
        assertEquals(200, call("GET", "/api/runs", cookie(session), null).status());
        assertEquals(200, call("GET", "/api/runs", bearer(secret), null).status());
        // what `token revoke` does: another TokenStore on the same file, as the CLI's process would
        assertTrue(new TokenStore(runs, Clock.systemUTC()).revoke("short-lived"));
        assertEquals(401, call("GET", "/api/runs", cookie(session), null).status(), "the session ended with its token");
        assertEquals(401, call("GET", "/api/runs", bearer(secret), null).status(), "the token itself is refused");
    }

    @Test
    void revoking_a_token_closes_the_live_streams_it_has_open() throws Exception {
        String secret = new TokenStore(runs, Clock.systemUTC()).create("watcher", Role.VIEWER, "test").secret();
        SECRETS.add(secret);
        String session = login(secret);
        java.util.concurrent.CompletableFuture<Integer> closedWith = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(60))
                .header("Cookie", "tw_session=" + session)
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/live"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                        closedWith.complete(code);
                        return null;
                    }
                }).get(60, java.util.concurrent.TimeUnit.SECONDS);
        // two whole re-checks later the socket is still open: a valid session is left alone
        long after = OpenSockets.RECHECKS.get() + 2;
        Api.await("two re-checks of the open sockets", java.time.Duration.ofSeconds(60), () -> OpenSockets.RECHECKS.get() >= after);
        assertFalse(closedWith.isDone(), "a valid session's socket stays open");
        assertTrue(new TokenStore(runs, Clock.systemUTC()).revoke("watcher"));
        assertEquals(OpenSockets.SIGNED_OUT, closedWith.get(60, java.util.concurrent.TimeUnit.SECONDS), "the server closed the socket as signed out");
        ws.abort();
    }

    @Test
    void admins_manage_tokens_over_rest_and_every_change_is_audited() {
        RawHttp.Res made = call("POST", "/api/tokens", bearer(admin), "{\"name\": \"ci-bot\", \"role\": \"editor\"}");
        assertEquals(201, made.status(), made.body());
        String secret = made.json().get("token").asText();
        SECRETS.add(secret);
        assertTrue(secret.startsWith("tw_") && secret.length() > 40, secret.length() + " chars");
        assertEquals(409, call("POST", "/api/tokens", bearer(admin), "{\"name\": \"ci-bot\", \"role\": \"viewer\"}").status());
        assertEquals(400, call("POST", "/api/tokens", bearer(admin), "{\"name\": \"x\", \"role\": \"god\"}").status());
        assertEquals(403, call("POST", "/api/tokens", bearer(editor), "{\"name\": \"sneaky\", \"role\": \"admin\"}").status());
        JsonNode list = call("GET", "/api/tokens", bearer(admin), null).json();
        assertTrue(list.get("tokens").toString().contains("\"ci-bot\""), list.toString());
        assertFalse(list.toString().contains(secret) || list.toString().contains("sha256"), "the list shows no secret and no hash");
        assertEquals(200, call("GET", "/api/runs", bearer(secret), null).status());
        assertEquals(200, call("DELETE", "/api/tokens/ci-bot", bearer(admin), "").status());
        assertEquals(401, call("GET", "/api/runs", bearer(secret), null).status());
        assertEquals(404, call("DELETE", "/api/tokens/ci-bot", bearer(admin), "").status());

        JsonNode audit = call("GET", "/api/audit?limit=50", bearer(admin), null).json().get("entries");
        List<String> lines = new ArrayList<>();
        audit.forEach(e -> lines.add(e.get("who").asText() + " " + e.get("action").asText() + " " + e.path("target").asText() + " " + e.get("status").asInt()));
        assertTrue(lines.contains("root POST /api/tokens ci-bot 201"), lines.toString());
        assertTrue(lines.contains("root DELETE /api/tokens/{name} ci-bot 200"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("eve POST /api/tokens ") && l.endsWith(" 403")), "refused writes are audited too: " + lines);
        assertEquals(403, call("GET", "/api/audit", bearer(editor), null).status());
    }

    @Test
    void a_run_started_with_a_token_is_audited_under_its_name() {
        RawHttp.Res made = call("POST", "/api/runs", bearer(editor), "{\"name\": \"audited\", \"dataset\": \"spiral\", \"epochs\": 1}");
        assertEquals(201, made.status(), made.body());
        String id = made.json().get("id").asText();
        call("POST", "/api/runs/" + id + "/stop", bearer(editor), "{}");
        JsonNode audit = call("GET", "/api/audit", bearer(admin), null).json().get("entries");
        List<String> lines = new ArrayList<>();
        audit.forEach(e -> lines.add(e.get("who").asText() + " " + e.get("action").asText() + " " + e.path("target").asText()));
        assertTrue(lines.contains("eve POST /api/runs " + id), lines.toString());
        assertTrue(lines.contains("eve POST /api/runs/{id}/stop " + id), lines.toString());

        assertEquals("eve", call("GET", "/api/runs/" + id, bearer(viewer), null).json().get("owner").asText(), "the run says who started it");
        JsonNode mine = call("GET", "/api/runs?owner=eve", bearer(viewer), null).json().get("runs");
        assertTrue(mine.toString().contains(id) && mine.get(0).get("owner").asText().equals("eve"), mine.toString());
        assertFalse(call("GET", "/api/runs?owner=vic", bearer(viewer), null).body().contains(id), "filtered by owner");
    }

    @Test
    void a_sweep_and_its_trials_carry_the_name_of_who_started_it() {
        String spec = "{\"name\": \"owned\", \"base\": {\"dataset\": \"spiral\", \"epochs\": 1}, \"method\": \"random\","
                + " \"metric\": {\"tag\": \"val_acc\", \"goal\": \"max\"},"
                + " \"parameters\": {\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 1e-4, \"max\": 1}}, \"trials\": 1, \"parallel\": 1, \"seed\": 1}";
        RawHttp.Res made = call("POST", "/api/sweeps", bearer(editor), spec);
        assertEquals(201, made.status(), made.body());
        assertEquals("eve", made.json().get("owner").asText(), made.body());
        String sweep = made.json().get("id").asText();
        assertEquals("eve", call("GET", "/api/sweeps/" + sweep, bearer(viewer), null).json().get("owner").asText());
        Api.await("the trial run listed with its owner", java.time.Duration.ofSeconds(120), () -> {
            JsonNode runs = call("GET", "/api/runs?sweep=" + sweep, bearer(viewer), null).json().get("runs");
            boolean all = runs.size() >= 1; // a trial whose trainer exits at once may be retried: every attempt is hers
            for (JsonNode r : runs) all &= "eve".equals(r.path("owner").asText());
            return all;
        });
        call("POST", "/api/sweeps/" + sweep + "/stop", bearer(editor), "{}");
    }

    @Test
    void ingest_takes_an_editor_token_or_the_runs_own_key_and_nothing_else() {
        assertEquals(401, call("POST", "/api/ingest/runs", Map.of(), "{\"name\": \"r\"}").status(), "never anonymous");
        assertEquals(403, call("POST", "/api/ingest/runs", bearer(viewer), "{\"name\": \"r\"}").status());
        JsonNode a = call("POST", "/api/ingest/runs", bearer(editor), "{\"name\": \"a\"}").json();
        JsonNode b = call("POST", "/api/ingest/runs", bearer(editor), "{\"name\": \"b\"}").json();
        SECRETS.add(a.get("key").asText());
        SECRETS.add(b.get("key").asText());
        String batch = "{\"seq\": 0, \"records\": [{\"type\": \"scalars\", \"step\": 0, \"t\": 1764000000000, \"values\": {\"loss\": 2.3}}]}";
        String batch2 = "{\"seq\": 1, \"records\": [{\"type\": \"scalars\", \"step\": 1, \"t\": 1764000000001, \"values\": {\"loss\": 2.2}}]}";
        String aPath = "/api/ingest/runs/" + a.get("id").asText() + "/records";
        assertEquals(401, call("POST", aPath, Map.of(), batch).status());
        assertEquals(403, call("POST", aPath, bearer(viewer), batch).status(), "a viewer's token is not the run's key");
        assertEquals(403, call("POST", aPath, bearer(b.get("key").asText()), batch).status(), "another run's key cannot write here");
        RawHttp.Res byKey = call("POST", aPath, bearer(a.get("key").asText()), batch);
        assertEquals(200, byKey.status(), byKey.body());
        RawHttp.Res byEditor = call("POST", aPath, bearer(editor), batch2);
        assertEquals(200, byEditor.status(), byEditor.body());
        assertEquals(2, byEditor.json().get("next").asLong());
        assertEquals(401, call("GET", "/api/runs/" + a.get("id").asText(), bearer(a.get("key").asText()), null).status(),
                "a run key is not a token: it reads nothing");
    }

    @Test
    void the_eleventh_failed_login_within_a_minute_gets_429_with_retry_after(@TempDir Path other) throws Exception {
        new TokenStore(other, Clock.systemUTC()).create("someone", Role.VIEWER, "test");
        try (TrainwatchServer s = new TrainwatchServer(ServerFixture.options(other).withLauncher(HardeningTest.NO_TRAINER)).start()) {
            for (int i = 1; i <= 10; i++) {
                RawHttp.Res r = RawHttp.request(s.port(), "POST", "/api/login", "127.0.0.1:" + s.port(),
                        Map.of("Content-Type", "application/json"), "{\"token\": \"tw_wrong" + i + "\"}");
                assertEquals(401, r.status(), "failure " + i + ": " + r.body());
            }
            RawHttp.Res eleventh = RawHttp.request(s.port(), "POST", "/api/login", "127.0.0.1:" + s.port(),
                    Map.of("Content-Type", "application/json"), "{\"token\": \"tw_wrong11\"}");
            assertEquals(429, eleventh.status(), eleventh.body());
            long retry = Long.parseLong(eleventh.headers().get("retry-after"));
            assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            List<String> failures = new ArrayList<>();
            for (String line : Files.readAllLines(other.resolve(".audit").resolve("audit.jsonl")))
                if (line.contains("/api/login") && line.contains("\"status\":401")) failures.add(line);
            assertEquals(10, failures.size(), "each failed login is audited");
        }
    }

    @Test
    void a_server_beyond_loopback_refuses_to_start_without_tokens_and_refuses_foreign_hosts_with_them(@TempDir Path other) throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TrainwatchServer(ServerFixture.options(other).withHost("0.0.0.0").withLauncher(HardeningTest.NO_TRAINER)));
        assertTrue(e.getMessage().contains("token create") && e.getMessage().contains("--no-auth"), e.getMessage());
        String secret = new TokenStore(other, Clock.systemUTC()).create("boss", Role.ADMIN, "test").secret();
        SECRETS.add(secret);
        try (TrainwatchServer s = new TrainwatchServer(ServerFixture.options(other).withHost("0.0.0.0").withLauncher(HardeningTest.NO_TRAINER),
                AuthSettings.defaults().withPublicUrl(java.net.URI.create("https://tw.lab.example")))) {
            s.start();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + secret);
            RawHttp.Res evil = RawHttp.request(s.port(), "GET", "/api/runs", "evil.example:" + s.port(), auth, null);
            assertEquals(403, evil.status(), evil.body());
            assertEquals("Host", evil.json().get("errors").get(0).get("field").asText());
            assertEquals(403, RawHttp.request(s.port(), "GET", "/", "evil.example", Map.of(), null).status(), "static files too");
            assertEquals(200, RawHttp.request(s.port(), "GET", "/api/runs", "tw.lab.example", auth, null).status(), "its public name");
            assertEquals(200, RawHttp.request(s.port(), "GET", "/api/runs", "127.0.0.1:" + s.port(), auth, null).status());
            assertEquals(401, RawHttp.request(s.port(), "GET", "/api/runs", "127.0.0.1:" + s.port(), Map.of(), null).status());
            RawHttp.Res in = RawHttp.request(s.port(), "POST", "/api/login", "tw.lab.example", Map.of("Content-Type", "application/json"),
                    "{\"token\": \"" + secret + "\"}");
            assertTrue(in.headers().get("set-cookie").contains("; Secure"), "https public URL: Secure cookie " + in.headers());
            SECRETS.add(in.headers().get("set-cookie").substring("tw_session=".length(), in.headers().get("set-cookie").indexOf(';')));
        }
    }

    @Test
    void the_auth_routes_answer_exactly_the_shapes_docs_api_md_shows() throws Exception {
        ApiDocs docs = ApiDocs.load();
        List<String> problems = new ArrayList<>();
        String session = login(editor);
        RawHttp.Res in = call("POST", "/api/login", Map.of(), "{\"token\": \"" + editor + "\"}");
        SECRETS.add(in.headers().get("set-cookie").substring("tw_session=".length(), in.headers().get("set-cookie").indexOf(';')));
        problems.addAll(ApiDocs.undocumented(in.json(), docs.shape("### `POST /api/login`", null), "login"));
        problems.addAll(ApiDocs.undocumented(call("GET", "/api/session", cookie(session), null).json(), docs.shape("### `GET /api/session` — who am I", null), "session"));
        problems.addAll(ApiDocs.undocumented(call("GET", "/api/tokens", bearer(admin), null).json(), docs.shape("### `GET /api/tokens` — admin", null), "tokens"));
        RawHttp.Res made = call("POST", "/api/tokens", bearer(admin), "{\"name\": \"shape-bot\", \"role\": \"viewer\"}");
        SECRETS.add(made.json().get("token").asText());
        problems.addAll(ApiDocs.undocumented(made.json(), docs.shape("### `POST /api/tokens` — admin", null), "create token"));
        problems.addAll(ApiDocs.undocumented(call("DELETE", "/api/tokens/shape-bot", bearer(admin), "").json(), docs.shape("### `DELETE /api/tokens/{name}` — admin", null), "revoke"));
        problems.addAll(ApiDocs.undocumented(call("GET", "/api/audit", bearer(admin), null).json(), docs.shape("### `GET /api/audit?limit=200` — admin", null), "audit"));
        problems.addAll(ApiDocs.undocumented(call("POST", "/api/logout", cookie(session), "{}").json(), docs.shape("### `POST /api/logout`", null), "logout"));
        assertEquals(List.of(), problems, "keys that docs/api.md does not name");
    }

    /** Last in spirit: run after the others in this class have used every secret (JUnit order is not fixed, so each test checks its own too). */
    @Test
    void no_secret_is_stored_in_plaintext_under_runs_or_logged_and_the_token_file_is_owner_only() throws Exception {
        login(admin);
        call("POST", "/api/login", Map.of(), "{\"token\": \"" + editor + "x\"}"); // a failed login must not log what was tried
        Path file = runs.resolve(".auth").resolve("tokens.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> all = Files.walk(runs)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String s : SECRETS) if (text.contains(s)) leaks.add(p + " holds " + s.substring(0, 6) + "...");
                if (text.contains(editor.substring(3, 20))) leaks.add(p + " holds part of a token");
            }
        }
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(log.length() > 100, "the log was captured: " + log.length() + " chars");
        for (String s : SECRETS) if (log.contains(s)) leaks.add("the log holds " + s.substring(0, 6) + "...");
        if (log.contains(editor.substring(3, 20))) leaks.add("the log holds part of a token");
        assertEquals(List.of(), leaks);
        JsonNode stored = Json.tree(Files.readString(file));
        assertEquals(64, stored.get("tokens").get(0).get("sha256").asText().length(), "only hashes: " + stored);
    }

    /** Copies everything written to the real stream into a buffer as well. */
    static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a, b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
