package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.store.RunStore;

/** kill -9 of a real server process while its run trains: the trainer lives on, a new server re-attaches, the history has no hole. */
class ServerRestartTest {
    private static final Pattern LISTENING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path runs;
    private final List<Process> servers = new ArrayList<>();

    /** `java -cp <our class path> trainwatch.Main serve --port 0 --runs DIR`, returning the port it printed. */
    private int startServer() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "trainwatch.Main", "serve", "--port", "0", "--runs", runs.toString(),
                "--max-parallel", "1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        servers.add(p);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (Exception ignored) {
                // the process was killed
            }
            port.completeExceptionally(new AssertionError("server exited before listening"));
        });
        drain.setDaemon(true);
        drain.start();
        return port.get(120, TimeUnit.SECONDS);
    }

    @AfterEach
    void cleanUp() {
        Servers.killTrainers(new RunStore(runs, Clock.systemUTC()));
        for (Process p : servers) p.destroyForcibly();
        Api.assertNo5xx();
    }

    @Test
    void after_kill_9_of_the_server_a_restart_finds_the_run_still_training_with_no_hole_in_its_history() throws Exception {
        Api api = new Api(startServer());
        String id = api.createRun("{\"dataset\":\"spiral\",\"epochs\":100000,\"evalEvery\":100}");
        Api.await("training", Duration.ofSeconds(120), () -> api.status(id).equals("running")
                && api.get("/api/runs/" + id).json().get("progress").get("step").asLong() > 50);
        long trainerPid = api.get("/api/runs/" + id).json().get("pid").asLong();

        servers.get(0).destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertTrue(ProcessHandle.of(trainerPid).map(ProcessHandle::isAlive).orElse(false), "the trainer outlived its server");

        Api again = new Api(startServer());
        JsonNode d = again.get("/api/runs/" + id).json();
        assertEquals("running", d.get("status").asText(), "re-attached, not interrupted: " + d.get("reason"));
        long stepAtRestart = d.get("progress").get("step").asLong();
        WsProbe live = WsProbe.open(again.base, "/api/runs/" + id + "/live", true);
        Api.await("live points after the restart", Duration.ofSeconds(60), () -> !live.steps("loss").isEmpty());
        assertTrue(live.steps("loss").get(0) >= stepAtRestart, "the stream continues from where the run is");
        live.abort();

        assertEquals(202, again.post("/api/runs/" + id + "/stop", "").status());
        Api.await("stopped", Duration.ofSeconds(60), () -> again.status(id).equals("stopped"));
        JsonNode s = again.get("/api/runs/" + id + "/scalars?tag=loss&points=100000").json();
        long total = s.get("total").asLong();
        assertTrue(total > stepAtRestart, "it kept training across the restart");
        List<Long> steps = new ArrayList<>();
        s.get("step").forEach(n -> steps.add(n.asLong()));
        Steps.assertExactly(0, total, steps, "stored history");
    }
}
