package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import trainwatch.json.Json;

/**
 * `check NAME --remote URL --run ID`, without a model (a bad config fails before any training): what it needs from
 * its environment, what it sends and with which key, and its exit codes when the server stores or refuses.
 * The full command against a real server is in http/KubernetesChecksTest.
 */
class CheckRemoteTest {
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> auths = new CopyOnWriteArrayList<>();
    HttpServer server;

    String serve(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/ingest/runs/r1/checks/overfit", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auths.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    int run(Map<String, String> env, ByteArrayOutputStream err, String... args) {
        return new CheckCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.nio.file.Path.of("data"), env).execute(args);
    }

    @Test
    void it_needs_its_key_and_the_runs_config_in_the_environment_and_a_run_id() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(Map.of("TRAINWATCH_RUN_CONFIG", "{}"), err, "overfit", "--remote", "http://127.0.0.1:1", "--run", "r1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("TRAINWATCH_INGEST_KEY"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run(Map.of("TRAINWATCH_INGEST_KEY", "twc_k"), err, "overfit", "--remote", "http://127.0.0.1:1", "--run", "r1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("TRAINWATCH_RUN_CONFIG"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run(Map.of("TRAINWATCH_INGEST_KEY", "twc_k", "TRAINWATCH_RUN_CONFIG", "{}"), err, "overfit", "cfg.json", "--remote", "http://127.0.0.1:1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--run ID"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_bad_config_is_reported_running_then_fail_with_the_key_and_exits_2() throws Exception {
        String url = serve(200);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(Map.of("TRAINWATCH_INGEST_KEY", "twc_k", "TRAINWATCH_RUN_CONFIG", "{\"dataset\":\"no-such-dataset\"}"), err,
                "overfit", "--remote", url + "/", "--run", "r1");
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(2, bodies.size(), "running, then the result: " + bodies);
        JsonNode running = Json.tree(bodies.get(0)), result = Json.tree(bodies.get(1));
        assertEquals("running", running.path("outcome").asText());
        assertTrue(running.path("details").has("startedMs") && !running.path("details").has("pid"), bodies.get(0));
        assertEquals("fail", result.path("outcome").asText());
        assertTrue(result.path("summary").asText().startsWith("bad config: "), bodies.get(1));
        assertEquals(List.of("Bearer twc_k", "Bearer twc_k"), auths);
    }

    @Test
    void a_report_the_server_refuses_is_not_retried_and_the_command_fails() throws Exception {
        String url = serve(403);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(Map.of("TRAINWATCH_INGEST_KEY", "twc_wrong", "TRAINWATCH_RUN_CONFIG", "{\"dataset\":\"no-such-dataset\"}"), err,
                "overfit", "--remote", url, "--run", "r1");
        assertEquals(1, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("could not be stored"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, bodies.size(), "each report sent once: a 403 does not change by retrying");
    }
}
