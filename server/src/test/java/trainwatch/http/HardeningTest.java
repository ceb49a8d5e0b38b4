package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.FieldError;
import trainwatch.event.RunStatus;
import trainwatch.auth.AuthSettings;
import trainwatch.run.Launcher;
import trainwatch.store.RunWriter;

/** The reviewer's findings: each one a test that failed before its fix. */
class HardeningTest {
    @TempDir
    static Path runs;
    static TrainwatchServer server;
    static Api api;
    static int port;

    static final Launcher NO_TRAINER = trainwatch.testkit.NoTrainer.LAUNCHER;

    @BeforeAll
    static void start() throws Exception {
        server = new TrainwatchServer(options("127.0.0.1", runs)).start();
        port = server.port();
        api = new Api(port);
    }

    static TrainwatchServer.Options options(String host, Path dir) {
        TrainwatchServer.Options o = ServerFixture.options(dir).withHost(host).withLauncher(NO_TRAINER);
        return o.withLimits(o.limits().withPingMs(1_000)); // the keepalive test sees a ping within seconds, not 15 s
    }

    @AfterAll
    static void stop() {
        server.close();
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        ServerFixture.assertNoFaults(server);
    }

    private static void assertJsonError(int status, String fieldOrNull, int gotStatus, String contentType, JsonNode j, String body) {
        assertEquals(status, gotStatus, body);
        assertTrue(contentType.startsWith("application/json"), contentType + ": " + body);
        assertTrue(j.path("error").isTextual() && !j.path("error").asText().isBlank(), body);
        assertTrue(j.path("errors").isArray() && j.path("errors").size() >= 1, body);
        if (fieldOrNull != null) assertEquals(fieldOrNull, j.path("errors").get(0).path("field").asText(), body);
    }

    private static void assertNoLeak(String body) {
        assertFalse(body.contains("Exception"), "no class name: " + body);
        assertFalse(body.contains("\tat "), "no stack trace: " + body);
        assertFalse(body.contains(runs.toString()), "no absolute path: " + body);
        assertFalse(body.contains("Source: ") || body.contains("REDACTED") || body.contains("StreamReadFeature"), "no parser internals: " + body);
    }

    private static String finishedRun() {
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"done\",\"dataset\":\"spiral\"}", RunStatus.FINISHED, "");
        return id;
    }

    // A. config errors

    @Test
    void every_config_error_reads_the_same_in_the_api_as_on_the_command_line() {
        List<String> bad = List.of(
                "{\"optimizer\":{\"lrr\":1}}",
                "{\"nope\":1}",
                "{\"dataset\":\"spiral\",\"optimizer\":{\"lr\":-1}}",
                "{\"dataset\":\"cifar\"}",
                "{\"model\":{\"type\":\"rnn\"}}",
                "{\"epochs\":0}",
                "{\"batchSize\":\"big\"}",
                "{\"dropout\":1.5}",
                "{\"optimizer\":{\"type\":\"adam\",\"beta1\":1.2}}",
                "{\"schedule\":{\"type\":\"weekly\"}}",
                "{\"model\":{\"type\":\"mlp\",\"hiddn\":[10]}}",
                "{\"dataset\":\"spiral\"",
                "{\"epochs\":3,}",
                "[1,2]",
                "");
        for (String body : bad) {
            FieldError first;
            try {
                ConfigParser.parse(body);
                throw new AssertionError("should be invalid: " + body);
            } catch (ConfigException e) {
                first = e.errors().get(0);
            }
            Api.Res r = api.post("/api/runs", body);
            assertJsonError(400, first.field(), r.status(), r.contentType(), r.json(), r.body());
            assertEquals(first.line(), r.json().get("error").asText(), "the CLI's line for " + body);
            assertEquals(first.message(), r.json().get("errors").get(0).get("message").asText(), body);
            assertNoLeak(r.body());
        }
        assertEquals(List.of(), server.store.ids(), "nothing was created");
    }

    @Test
    void malformed_json_gets_a_clean_message_without_parser_internals() {
        for (String body : List.of("{\"dataset\":\"spiral\"", "{\"a\":[1,2", "{\"dataset\": ")) {
            Api.Res r = api.post("/api/runs", body);
            assertJsonError(400, "", r.status(), r.contentType(), r.json(), r.body());
            String error = r.json().get("error").asText();
            assertTrue(error.startsWith("config is not valid JSON: "), error);
            assertTrue(error.matches(".*line 1, column \\d+.*"), "says where: " + error);
            assertNoLeak(r.body());
        }
    }

    // B. DNS rebinding

    @Test
    void a_loopback_server_refuses_requests_whose_host_is_not_a_loopback_name() {
        String evil = "evil.example:" + port;
        RawHttp.Res post = RawHttp.request(port, "POST", "/api/runs", evil,
                Map.of("Content-Type", "application/json", "Origin", "http://" + evil), "{\"dataset\":\"spiral\"}");
        assertJsonError(403, "Host", post.status(), post.contentType(), post.json(), post.body());
        assertEquals("Host must be this server's own (got " + evil + ")", post.json().get("error").asText());
        for (String path : List.of("/api/runs", "/api/runs/nope", "/")) {
            RawHttp.Res get = RawHttp.get(port, path, evil);
            assertJsonError(403, "Host", get.status(), get.contentType(), get.json(), get.body());
        }
        RawHttp.Res ws = RawHttp.upgrade(port, "/api/live", evil, null);
        assertJsonError(403, "Host", ws.status(), ws.contentType(), ws.json(), ws.body());
        RawHttp.Res wsOrigin = RawHttp.upgrade(port, "/api/live", evil, "http://" + evil);
        assertEquals(403, wsOrigin.status(), wsOrigin.body());
        assertEquals(List.of(), server.store.ids(), "no run was started");
    }

    @Test
    void a_loopback_server_accepts_every_loopback_name_on_any_port() {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.0.0.1", "[::1]")) {
            RawHttp.Res r = RawHttp.get(port, "/api/runs", host);
            assertEquals(200, r.status(), host + ": " + r.body());
            assertTrue(r.json().get("runs").isArray(), r.body()); // a page of the run list
        }
    }

    @Test
    void names_that_merely_start_like_a_loopback_name_are_not_loopback() {
        for (String h : List.of("127.0.0.1.evil.example", "localhost.evil.example", "evil.localhost.example", "[::1]evil", "[::2]:7070",
                "127.0.0.1:7070@evil.example", "0.0.0.0:7070", "", "evil.example"))
            assertFalse(HostGuard.isLoopbackName(h), h);
        for (String h : List.of("127.0.0.1:7070", "127.1.2.3", "localhost:1", "localhost.", "[::1]", "[::1]:7070"))
            assertTrue(HostGuard.isLoopbackName(h), h);
        for (String bind : List.of("127.0.0.1", "localhost", "::1", "[::1]")) assertTrue(HostGuard.boundToLoopback(bind), bind);
        for (String bind : List.of("0.0.0.0", "::")) assertFalse(HostGuard.boundToLoopback(bind), bind);
        assertFalse(HostGuard.boundToLoopback(null), "no host = every interface");
    }

    @Test
    void a_server_bound_to_every_interface_accepts_its_allowed_names_refuses_others_and_keeps_the_origin_rule(@TempDir Path other) throws Exception {
        AuthSettings open = AuthSettings.defaults().withNoAuth(true).withAllowedHosts(List.of("team-box.example"));
        try (TrainwatchServer shared = new TrainwatchServer(options("0.0.0.0", other), open).start()) {
            int p = shared.port();
            String team = "team-box.example:" + p;
            RawHttp.Res list = RawHttp.get(p, "/api/runs", team);
            assertEquals(200, list.status(), list.body());
            RawHttp.Res sameOrigin = RawHttp.request(p, "POST", "/api/runs", team,
                    Map.of("Content-Type", "application/json", "Origin", "http://" + team), "{\"epochs\":0}");
            assertJsonError(400, "epochs", sameOrigin.status(), sameOrigin.contentType(), sameOrigin.json(), sameOrigin.body());
            RawHttp.Res foreign = RawHttp.request(p, "POST", "/api/runs", team,
                    Map.of("Content-Type", "application/json", "Origin", "http://evil.example"), "{\"epochs\":0}");
            assertJsonError(403, "Origin", foreign.status(), foreign.contentType(), foreign.json(), foreign.body());
            RawHttp.Res rebound = RawHttp.get(p, "/api/runs", "evil.example:" + p);
            assertJsonError(403, "Host", rebound.status(), rebound.contentType(), rebound.json(), rebound.body());
            assertEquals(0, shared.stats.count(500, 600));
        }
    }

    // C. refused WebSocket upgrades

    @Test
    void a_refused_websocket_upgrade_answers_with_the_json_error_body() {
        String id = finishedRun();
        String host = "127.0.0.1:" + port;
        record Case(String path, String origin, int status, String field) {}
        for (Case c : List.of(new Case("/api/runs/nope/live", null, 404, ""),
                new Case("/api/runs/" + id + "/live?after=abc", null, 400, "after"),
                new Case("/api/runs/" + id + "/live", "http://evil.example", 403, "Origin"),
                new Case("/api/live", "http://evil.example", 403, "Origin"),
                new Case("/api/runs/UPPER/live", null, 400, "id"))) {
            RawHttp.Res r = RawHttp.upgrade(port, c.path(), host, c.origin());
            assertJsonError(c.status(), c.field(), r.status(), r.contentType(), r.json(), c.path() + ": " + r.body());
            assertNoLeak(r.body());
        }
    }

    // D + E. frames the server cannot use

    @Test
    void a_binary_frame_gets_an_error_message_and_the_connection_stays_open() throws Exception {
        String id = finishedRun();
        for (String path : List.of("/api/live", "/api/runs/" + id + "/live")) {
            WsProbe p = WsProbe.open(api.base, path, true);
            Api.await("hello on " + path, Duration.ofSeconds(60), () -> !p.ofType("hello").isEmpty());
            p.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(30, TimeUnit.SECONDS);
            Api.await("an error on " + path, Duration.ofSeconds(60), () -> !p.ofType("error").isEmpty());
            assertEquals("binary frames are not used: send JSON text", p.ofType("error").get(0).get("error").asText());
            assertStillOpen(p);
        }
    }

    @Test
    void a_long_text_frame_gets_an_error_message_and_the_connection_stays_open() throws Exception {
        WsProbe p = WsProbe.open(api.base, "/api/live", true);
        Api.await("hello", Duration.ofSeconds(60), () -> !p.ofType("hello").isEmpty());
        p.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(200_000) + "\"}");
        p.send("z".repeat(100_000));
        Api.await("two errors", Duration.ofSeconds(60), () -> p.ofType("error").size() == 2);
        for (JsonNode e : p.ofType("error")) assertTrue(e.get("error").asText().contains("too long"), e.toString());
        assertStillOpen(p);
    }

    @Test
    void a_text_frame_beyond_the_hard_limit_closes_the_connection_with_1009() throws Exception {
        WsProbe p = WsProbe.open(api.base, "/api/live", true);
        Api.await("hello", Duration.ofSeconds(60), () -> !p.ofType("hello").isEmpty());
        p.ws.sendText("x".repeat(LiveRoutes.MAX_FRAME_BYTES + 1), true);
        assertEquals(1009, p.closed.get(60, TimeUnit.SECONDS));
    }

    private static void assertStillOpen(WsProbe p) {
        int pongs = p.ofType("pong").size();
        p.send("{\"type\":\"ping\"}");
        Api.await("a pong", Duration.ofSeconds(60), () -> p.ofType("pong").size() > pongs);
        assertFalse(p.closed.isDone(), "still open");
        p.abort();
    }

    // F. a run whose status.json is not JSON

    /** The run list's row of one run, or null when it is not listed. */
    private static JsonNode row(Api.Res list, String id) {
        for (JsonNode r : list.json().get("runs")) if (r.get("id").asText().equals(id)) return r;
        return null;
    }

    @Test
    void a_run_with_an_unreadable_status_is_listed_as_failed_and_can_be_deleted() throws Exception {
        String id = finishedRun();
        Files.writeString(server.store.dir(id).resolve("status.json"), "{not json", StandardCharsets.UTF_8);

        // the list is answered from the run index, refreshed within a second: until then it may still say finished
        Api.Res[] seen = new Api.Res[1];
        Api.await("the run listed as failed", Duration.ofSeconds(60), () -> {
            seen[0] = api.get("/api/runs");
            return seen[0].status() == 200 && row(seen[0], id) != null && row(seen[0], id).get("status").asText().equals("failed");
        });
        Api.Res list = seen[0];
        JsonNode row = row(list, id);
        assertTrue(row.get("reason").asText().contains("unreadable status.json"), row.toString());
        assertNoLeak(list.body());

        Api.Res one = api.get("/api/runs/" + id);
        assertEquals(200, one.status(), one.body());
        assertEquals("failed", one.json().get("status").asText());
        assertNoLeak(one.body());

        RawHttp.Res live = RawHttp.upgrade(port, "/api/runs/" + id + "/live", "127.0.0.1:" + port, null);
        assertJsonError(409, "", live.status(), live.contentType(), live.json(), live.body());
        assertEquals("run " + id + " has an unreadable status.json: there is nothing to stream (it is listed as failed)", live.json().get("error").asText());

        Api.Res del = api.delete("/api/runs/" + id);
        assertEquals(200, del.status(), del.body());
        assertEquals(404, api.get("/api/runs/" + id).status());
    }

    @Test
    void a_run_with_an_unreadable_status_is_not_deleted_while_a_trainer_holds_it() throws Exception {
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"held\"}", RunStatus.RUNNING, "");
        try (RunWriter w = server.store.openWriter(id)) {
            Files.writeString(server.store.dir(id).resolve("status.json"), "garbage", StandardCharsets.UTF_8);
            Api.Res del = api.delete("/api/runs/" + id);
            assertJsonError(409, "", del.status(), del.contentType(), del.json(), del.body());
            assertEquals("run " + id + " has an unreadable status.json but a trainer still holds it: stop that trainer first",
                    del.json().get("error").asText());
            assertNoLeak(del.body());
            assertTrue(server.store.exists(id), "still there");
        }
        Api.Res del = api.delete("/api/runs/" + id);
        assertEquals(200, del.status(), del.body());
    }

    @Test
    void malformed_percent_encodings_get_the_json_error_on_every_method() {
        for (String method : List.of("GET", "POST", "DELETE", "PUT", "OPTIONS")) {
            for (String path : List.of("/api/runs/%zz", "/api/runs/%E0%A4%A", "/api/runs/%zz/stop", "/api/runs/%E0%A4%A/live")) {
                boolean body = !method.equals("GET") && !method.equals("OPTIONS");
                RawHttp.Res r = RawHttp.request(port, method, path, "127.0.0.1:" + port,
                        body ? Map.of("Content-Type", "application/json") : Map.of(), body ? "{}" : null);
                assertJsonError(400, null, r.status(), r.contentType(), r.json(), method + " " + path + ": " + r.body());
                assertNoLeak(r.body());
            }
        }
    }

    @Test
    void the_trainer_log_is_plain_text_a_browser_must_not_sniff_as_html() throws Exception {
        String id = finishedRun();
        Files.writeString(server.store.dir(id).resolve(trainwatch.run.ChildJvm.TRAINER_LOG), "<html><script>alert(1)</script>\n");
        RawHttp.Res r = RawHttp.get(port, "/api/runs/" + id + "/log", "127.0.0.1:" + port);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        assertEquals("nosniff", r.headers().get("x-content-type-options"), r.headers().toString());
    }

    // live hub: keepalive and coalescing

    @Test
    void the_live_endpoints_answer_pings_and_send_keepalive_pings() throws Exception {
        PingProbe p = PingProbe.open(api.base, "/api/live");
        p.ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        Api.await("a pong to our ping", Duration.ofSeconds(60), () -> p.pongs.get() >= 1);
        Api.await("a keepalive ping from the server (every second here)", Duration.ofSeconds(60), () -> p.pings.get() >= 1);
        p.ws.abort();
    }

    @Test
    void a_burst_of_records_arrives_in_fewer_scalars_messages_than_records() throws Exception {
        int n = 400;
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"burst\"}", RunStatus.RUNNING, "");
        try (RunWriter w = server.store.openWriter(id)) {
            WsProbe p = WsProbe.open(api.base, "/api/runs/" + id + "/live", true);
            Api.await("hello", Duration.ofSeconds(60), () -> !p.ofType("hello").isEmpty());
            for (int step = 0; step < n; step++) w.scalars(step, new String[] {"loss"}, new double[] {1.0 / (step + 1)});
            w.flush(); // the whole burst becomes visible to the tailer at once
            Api.await(n + " steps", Duration.ofSeconds(60), () -> p.steps("loss").size() >= n);
            Steps.assertExactly(0, n, p.steps("loss"), "the burst");
            int messages = p.ofType("scalars").size();
            assertTrue(messages < n / 10, n + " records came in " + messages + " scalars messages");
            w.status(RunStatus.FINISHED, "");
            p.abort();
        }
    }
}
