package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;

/** Caller mistakes get a 4xx with the API's JSON error shape; nothing gets a 5xx, an HTML page or a stack trace. */
class ApiErrorsTest {
    @TempDir
    static Path runs;
    static TrainwatchServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        server = new TrainwatchServer(ServerFixture.options(runs)).start();
        api = new Api(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        ServerFixture.assertNoFaults(server);
    }

    private static void assertError(Api.Res r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode j = r.json();
        assertTrue(j.get("error").isTextual() && !j.get("error").asText().isBlank(), r.body());
        JsonNode errors = j.get("errors");
        assertTrue(errors.isArray() && errors.size() >= 1, r.body());
        if (field != null) assertEquals(field, errors.get(0).get("field").asText(), r.body());
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), "no stack trace: " + r.body());
    }

    @Test
    void an_unknown_run_id_is_404_on_every_route() {
        for (String p : List.of("", "/scalars?tag=loss", "/filters", "/log", "/alerts")) assertError(api.get("/api/runs/no-such-run" + p), 404, "");
        assertError(api.post("/api/runs/no-such-run/stop", ""), 404, "");
        assertError(api.delete("/api/runs/no-such-run"), 404, "");
    }

    @Test
    void malformed_json_is_400() {
        assertError(api.post("/api/runs", "{\"dataset\": "), 400, null);
        assertError(api.post("/api/runs", "not json at all"), 400, null);
    }

    @Test
    void an_invalid_config_is_400_with_the_same_message_as_the_cli() {
        String body = "{\"dataset\":\"spiral\",\"optimizer\":{\"lr\":-1}}";
        String cli;
        try {
            ConfigParser.parse(body);
            throw new AssertionError("config should be invalid");
        } catch (ConfigException e) {
            cli = e.errors().get(0).line();
        }
        Api.Res r = api.post("/api/runs", body);
        assertError(r, 400, "optimizer.lr");
        assertEquals(cli, r.json().get("error").asText());
        assertError(api.post("/api/runs", "{\"nope\": 1}"), 400, "nope");
        assertEquals(List.of(), server.store.ids(), "nothing was created");
    }

    @Test
    void path_traversal_ids_are_rejected_before_touching_the_disk() {
        for (String id : List.of("..%2F..%2Fetc", "%2Fetc%2Fpasswd", "..%2f", "%2e%2e", "%2e%2e%2f%2e%2e", "a%5Cb", "%00", "UPPER", "x".repeat(65))) {
            Api.Res r = api.get("/api/runs/" + id);
            assertTrue(r.status() == 400 || r.status() == 404, id + " -> " + r.status());
            assertError(r, r.status(), null);
        }
        for (String raw : List.of("/api/runs/..;/x", "/%2e%2e/%2e%2e/etc/passwd", "/api/runs/%2e%2e/scalars")) assertError(api.get(raw), 400, null);
    }

    @Test
    void requests_jetty_refuses_before_routing_still_get_a_json_4xx() throws Exception {
        for (String raw : List.of("GET /api/runs HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                "GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(20_000) + "\r\n\r\n")) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                String status = answer.substring(0, answer.indexOf("\r\n"));
                Api.SEEN.add("RAW -> " + status.split(" ")[1]);
                assertTrue(status.matches("HTTP/1.1 4\\d\\d .*"), status);
                assertTrue(answer.contains("Content-Type: application/json"), answer);
                assertTrue(answer.contains("{\"error\":\"request rejected"), answer);
            }
        }
    }

    @Test
    void unknown_paths_and_methods_get_json_not_html() {
        assertError(api.get("/api/nothing"), 404, null);
        assertError(api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/runs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 404, null);
        assertError(api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/runs/abc/checks/nope")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())), 404, null);
    }

    @Test
    void state_changes_need_json_and_our_own_origin() {
        assertError(api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/runs")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset\":\"spiral\"}"))), 415, "Content-Type");
        assertError(api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/runs")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b"))), 415, "Content-Type");
        assertError(api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/runs")).header("Content-Type", "application/json")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{\"dataset\":\"spiral\"}"))), 403, "Origin");
        assertEquals(List.of(), server.store.ids(), "nothing was created");
    }

    @Test
    void a_websocket_upgrade_from_another_origin_is_refused() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var ws = http.newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/live"), new java.net.http.WebSocket.Listener() {});
        try {
            ws.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the upgrade should have been refused");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
            int status = ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
            assertEquals(403, status);
        }
    }

    @Test
    void a_garbage_frame_gets_an_error_message_and_the_connection_stays_open() throws Exception {
        WsProbe p = WsProbe.open(api.base, "/api/live", true);
        Api.await("hello", Duration.ofSeconds(60), () -> !p.ofType("hello").isEmpty());
        p.send("this is not json");
        p.send("{\"type\":\"subscribe\"}");
        Api.await("two errors", Duration.ofSeconds(60), () -> p.ofType("error").size() == 2);
        p.send("{\"type\":\"ping\"}");
        Api.await("pong", Duration.ofSeconds(60), () -> !p.ofType("pong").isEmpty());
        assertTrue(!p.closed.isDone(), "still open");
        p.abort();
    }

    @Test
    void the_list_is_json_and_the_dashboard_is_served_at_the_root() {
        Api.Res r = api.get("/api/runs");
        assertEquals(200, r.status());
        assertTrue(r.json().get("runs").isArray(), r.body());
        Api.Res root = api.get("/");
        assertEquals(200, root.status());
        assertTrue(root.contentType().startsWith("text/html"), root.contentType());
    }
}
