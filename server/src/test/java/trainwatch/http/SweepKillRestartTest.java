package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.testkit.ServerProcess;

/**
 * The server is killed with SIGKILL while a sweep of real spiral trials runs, then started
 * again on the same runs/: the sweep finishes, and every trial is accounted for exactly once:
 * one trial event per number, one final outcome per trial, no run started that the events do
 * not name, and the runs list holds exactly the runs the events name.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SweepKillRestartTest {
    static final int TRIALS = 6;
    static final String SPEC = """
            {"name": "kill-9", "base": {"dataset": "spiral", "epochs": 60, "evalEvery": 5, "trainSize": 150, "valSize": 60,
                                        "model": {"type": "mlp", "hidden": [16]}},
             "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
             "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 0.05, "max": 2}},
             "trials": %d, "parallel": 2, "seed": 5}""".formatted(TRIALS);

    @Test
    void a_sweep_survives_a_server_kill_9_with_every_trial_accounted_for_exactly_once() throws Exception {
        Path root = Files.createTempDirectory("tw-sweep-kill");
        Path runs = root.resolve("runs");
        try (ServerProcess server = new ServerProcess(runs, "--max-parallel", "2")) {
            server.start();
            Api api = new Api(server.port());
            Api.Res created = api.post("/api/sweeps", SPEC);
            assertEquals(201, created.status(), created.body());
            String id = created.json().get("id").asText();
            Path events = runs.resolve(".sweeps").resolve(id).resolve("events.jsonl");

            // kill it while trials are being handed out: at least three trials given, not all ended
            Api.await("three trials given a run", Duration.ofSeconds(300), () -> count(events, "trial") >= 3);
            server.kill();
            int before = count(events, "trial");
            assertTrue(before < TRIALS || count(events, "end") < TRIALS, "the kill came before the sweep ended");

            server.start();
            Api again = new Api(server.port());
            Api.await("the sweep finished after the restart", Duration.ofSeconds(420),
                    () -> again.get("/api/sweeps/" + id).json().get("state").asText().equals("finished"));

            JsonNode detail = again.get("/api/sweeps/" + id).json();
            List<JsonNode> lines = lines(events);
            Map<Integer, Integer> trialEvents = new TreeMap<>();
            Set<String> named = new TreeSet<>();
            Map<String, Integer> ends = new HashMap<>();
            for (JsonNode e : lines) {
                switch (e.get("type").asText()) {
                    case "trial" -> {
                        trialEvents.merge(e.get("n").asInt(), 1, Integer::sum);
                        assertTrue(named.add(e.get("run").asText()), "a run id given twice: " + e);
                    }
                    case "retry" -> assertTrue(named.add(e.get("run").asText()), "a retry reused a run id: " + e);
                    case "end" -> ends.merge(e.get("run").asText(), 1, Integer::sum);
                    default -> { }
                }
            }
            Map<Integer, Integer> once = new TreeMap<>();
            for (int n = 0; n < TRIALS; n++) once.put(n, 1);
            assertEquals(once, trialEvents, "one trial event per trial number");
            for (Map.Entry<String, Integer> e : ends.entrySet()) assertEquals(1, e.getValue(), "one end per run: " + e.getKey());

            // the detail: each number once, each with a final status, its run one the events name
            Set<Integer> numbers = new TreeSet<>();
            for (JsonNode t : detail.get("trials")) {
                assertTrue(numbers.add(t.get("n").asInt()), "trial shown twice: " + t);
                assertTrue(Set.of("finished", "failed", "diverged", "pruned").contains(t.get("status").asText()), t.toString());
                assertTrue(named.contains(t.get("run").asText()), t.toString());
                assertEquals(1, ends.getOrDefault(t.get("run").asText(), 0), "the trial's outcome is recorded once: " + t);
            }
            assertEquals(once.keySet(), numbers);

            // no run was started that the events do not name, and the runs list shows exactly those
            Set<String> withSweep = new TreeSet<>();
            try (Stream<Path> dirs = Files.list(runs)) {
                for (Path d : dirs.toList()) {
                    Path sj = d.resolve("sweep.json");
                    if (Files.exists(sj) && Json.tree(Files.readString(sj)).get("sweep").asText().equals(id)) withSweep.add(d.getFileName().toString());
                }
            }
            assertEquals(named, withSweep, "run directories of this sweep = the runs its events name");
            Api.await("the run index lists them", Duration.ofSeconds(60),
                    () -> again.get("/api/runs?sweep=" + id + "&limit=50").json().get("total").asInt() == named.size());
            System.out.printf("kill -9 after %d trial events; %d runs in all (%d retries)%n", before, named.size(), named.size() - TRIALS);
            server.stop();
        }
    }

    private static int count(Path events, String type) {
        return (int) lines(events).stream().filter(e -> e.get("type").asText().equals(type)).count();
    }

    /** Complete lines only: a torn last line (the writer was killed mid-append) is not an event. */
    private static List<JsonNode> lines(Path events) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(events)) return out;
            String all = Files.readString(events);
            int end = all.lastIndexOf('\n');
            if (end < 0) return out;
            for (String l : all.substring(0, end).split("\n")) {
                JsonNode n = Json.tree(l);
                if (n != null) out.add(n);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
