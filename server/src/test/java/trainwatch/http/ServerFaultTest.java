package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.run.Launcher;

/**
 * Server faults are honest 500s: {"error": "internal error", "id"}, the same id beside the stack
 * trace in the server's log, counted; never a 4xx that looks like the caller's mistake.
 */
class ServerFaultTest {
    @TempDir
    static Path runs;
    static TrainwatchServer server;
    static Api api;

    /** A service with a bug: starting a check throws a NullPointerException (not an IOException it knows how to report). */
    static final Launcher BROKEN = new Launcher() {
        @Override
        public Process startTrainer(String id) throws IOException {
            return new ProcessBuilder("true").start();
        }

        @Override
        public Process startCheck(String id, String check) {
            throw new NullPointerException("injected fault in startCheck");
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = new TrainwatchServer(new TrainwatchServer.Options("127.0.0.1", 0, runs, 1, null, null, BROKEN, null, 10_000, List.of()))
                .start();
        api = new Api(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String finishedRun() {
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"done\",\"dataset\":\"spiral\"}", RunStatus.FINISHED, "");
        return id;
    }

    @Test
    void a_null_pointer_exception_in_a_service_answers_500_with_an_id_that_is_in_the_log() {
        String id = finishedRun();
        long before = server.stats.internalErrors();
        Captured<Api.Res> c = captureStderr(() -> api.post("/api/runs/" + id + "/checks/overfit", "{}"));
        Api.Res r = c.value;

        assertEquals(500, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode j = r.json();
        assertEquals(Set.of("error", "id"), Set.copyOf(iterable(j)), r.body());
        assertEquals("internal error", j.get("error").asText());
        String faultId = j.get("id").asText();
        assertTrue(faultId.matches("[0-9a-f]{8}"), faultId);
        assertTrue(c.log.contains("internal error " + faultId), "the id is in the log: " + c.log);
        assertTrue(c.log.contains("NullPointerException: injected fault in startCheck"), "with the cause: " + c.log);
        assertTrue(c.log.contains("\tat "), "and its stack trace: " + c.log);
        assertFalse(r.body().contains("Exception") || r.body().contains("injected"), "nothing internal reaches the caller: " + r.body());
        assertEquals(before + 1, server.stats.internalErrors(), "counted");
        forgetExpected500(id);
    }

    @Test
    void unreadable_run_files_are_a_server_fault_not_a_conflict_and_leak_no_path() throws Exception {
        String id = finishedRun();
        Path config = server.store.dir(id).resolve("config.json");
        Files.delete(config);
        Files.createDirectory(config); // reading it now fails with an IOException naming the absolute path
        long before = server.stats.internalErrors();
        Captured<Api.Res> c = captureStderr(() -> api.get("/api/runs/" + id));
        Api.Res r = c.value;

        assertEquals(500, r.status(), r.body());
        String faultId = r.json().get("id").asText();
        assertTrue(c.log.contains("internal error " + faultId), c.log);
        assertFalse(r.body().contains(runs.toString()) || r.body().contains("Exception"), "no path, no class name: " + r.body());
        assertEquals(before + 1, server.stats.internalErrors());
        forgetExpected500(id);
    }

    @Test
    void a_caller_mistake_is_still_a_4xx_and_counts_no_fault() {
        long before = server.stats.internalErrors();
        Api.Res r = api.get("/api/runs/" + finishedRun() + "/scalars?tag=loss&points=lots");
        assertEquals(400, r.status(), r.body());
        assertEquals("points", r.json().get("errors").get(0).get("field").asText(), r.body());
        assertEquals("points must be an integer (got lots)", r.json().get("error").asText());
        assertEquals(before, server.stats.internalErrors());
    }

    /** The other suites assert that no request in this JVM got a 5xx: these were provoked on purpose. */
    private static void forgetExpected500(String id) {
        Api.SEEN.removeIf(s -> s.contains("/api/runs/" + id) && s.endsWith("-> 500"));
    }

    private static List<String> iterable(JsonNode j) {
        List<String> names = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }

    record Captured<T>(T value, String log) {}

    /** The server logs with slf4j-simple to System.err (looked up on every line), so swapping it captures the log. */
    private static <T> Captured<T> captureStderr(Supplier<T> action) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            T value = action.get();
            return new Captured<>(value, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
            old.print(buf.toString(StandardCharsets.UTF_8));
        }
    }
}
