package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.Launcher;
import trainwatch.store.RunStore;

/**
 * `sweep SPEC.json`: a real sweep of real DL4J spiral trials in child JVMs (the command in one,
 * each trainer in its own), parallel 2; a bad spec exits 2 and creates nothing; SIGTERM stops the
 * running trials cleanly and exits 130.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SweepCommandTest {
    static final long DEADLINE_MS = 480_000;

    @TempDir
    Path tmp;
    private Process child;

    @AfterEach
    void tearDown() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        // trainers a failed test left behind (they run detached): end exactly those, by their pid in status.json
        RunStore store = store();
        if (!Files.isDirectory(store.root())) return;
        for (String id : store.ids()) {
            long pid = store.state(id).pid();
            if (pid > 0 && store.trainerAlive(id)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    RunStore store() {
        return new RunStore(tmp.resolve("runs"), Clock.systemUTC());
    }

    static String spec(int epochs, int trials, String early) {
        return """
                {"name": "cli sweep", "base": {"dataset": "spiral", "epochs": %d, "evalEvery": 1, "filtersEvery": 1000000},
                 "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
                 "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 0.01, "max": 3},
                                "model.hidden": {"values": [[16], [32]]}},
                 "trials": %d, "parallel": 2, "seed": 3%s}""".formatted(epochs, trials, early);
    }

    String output() {
        try {
            return Files.readString(tmp.resolve("stdout.txt")) + Files.readString(tmp.resolve("stderr.txt"));
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }

    @Test
    void a_real_sweep_of_spiral_trials_runs_every_trial_once_and_exits_0() throws Exception {
        Files.writeString(tmp.resolve("spec.json"), spec(30, 3, ", \"earlyStop\": {\"type\": \"asha\", \"minEpochs\": 5, \"reductionFactor\": 3}"));
        child = ChildJvm.start(tmp, tmp.resolve("data"), "sweep", "spec.json", "--runs", "runs");
        assertTrue(child.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS), "the sweep did not end: " + output());
        assertEquals(0, child.exitValue(), output());

        RunStore store = store();
        List<String> ids = store.ids();
        assertEquals(3, ids.size(), "one run per trial: " + ids + "\n" + output());
        Set<Integer> trials = new HashSet<>();
        String sweep = null;
        for (String id : ids) {
            JsonNode s = Json.tree(Files.readString(store.dir(id).resolve("sweep.json")));
            sweep = s.path("sweep").asText();
            trials.add(s.path("trial").asInt());
            RunStatus status = store.state(id).status();
            assertTrue(status == RunStatus.FINISHED || status == RunStatus.PRUNED, id + " is " + status + ": " + store.state(id).reason());
            assertTrue(output().contains("trial " + s.path("trial").asInt() + " started: run " + id), output());
        }
        assertEquals(Set.of(0, 1, 2), trials);
        List<String> events = Files.readAllLines(tmp.resolve("runs").resolve(".sweeps").resolve(sweep).resolve("events.jsonl"));
        assertEquals(3, events.stream().filter(l -> l.contains("\"type\":\"trial\"")).count());
        assertEquals(3, events.stream().filter(l -> l.contains("\"type\":\"end\"")).count());
        assertTrue(events.get(events.size() - 1).contains("\"state\":\"finished\""), events.toString());
        assertTrue(output().contains("sweep " + sweep + " finished"), output());
        assertTrue(output().contains("best: trial "), output());
    }

    @Test
    void sigterm_stops_the_running_trials_and_exits_130() throws Exception {
        Files.writeString(tmp.resolve("spec.json"), spec(100_000, 4, ""));
        child = ChildJvm.start(tmp, tmp.resolve("data"), "sweep", "spec.json", "--runs", "runs");
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (running() < 2) {
            assertTrue(child.isAlive() && System.currentTimeMillis() < end, "two trials never ran: " + output());
            Thread.sleep(200); // polling the disk for a condition, bounded by the deadline
        }
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the sweep did not stop: " + output());
        assertEquals(130, child.exitValue(), output());
        RunStore store = store();
        assertEquals(2, store.ids().size(), "no trial started after the stop");
        for (String id : store.ids()) assertEquals(RunStatus.STOPPED, store.state(id).status(), id);
        assertTrue(output().contains(" stopped: "), output());
    }

    private int running() {
        RunStore store = store();
        if (!Files.isDirectory(store.root())) return 0;
        int n = 0;
        for (String id : store.ids()) {
            try {
                if (store.state(id).status() == RunStatus.RUNNING) n++;
            } catch (RuntimeException e) {
                // being created
            }
        }
        return n;
    }

    @Test
    void a_bad_spec_exits_2_naming_the_field_and_creates_nothing() throws Exception {
        Files.writeString(tmp.resolve("spec.json"), spec(3, 0, ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Launcher none = new Launcher() {
            @Override
            public Process startTrainer(String id) {
                throw new AssertionError("no trainer for a bad spec");
            }

            @Override
            public Process startCheck(String id, String check) {
                throw new AssertionError();
            }
        };
        int code = new SweepCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false,
                new StopSignal(), root -> none, tmp.resolve("data"))
                .execute(new String[] {tmp.resolve("spec.json").toString(), "--runs", tmp.resolve("runs").toString()});
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: trials must be between 1 and 10000"), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(tmp.resolve("runs")), "nothing created");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("spec.json")), s.toList());
        }
    }
}
