package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.train.TrainOutcome;

/** `train` around a stand-in trainer (the real one runs in TrainProcessSignalTest): run directory, status, exit code. */
class TrainCommandTest {
    static final String CONFIG = "{\"dataset\": \"spiral\", \"epochs\": 3, \"name\": \"cli test\"}";

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final StopSignal stop = new StopSignal();

    Path runs() {
        return tmp.resolve("runs");
    }

    RunStore store() {
        return new RunStore(runs(), Clock.systemUTC());
    }

    int train(Training training, String... args) {
        TrainCommand cmd = new TrainCommand(training, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tmp.resolve("data"), false, stop);
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--runs", runs().toString()));
        return cmd.execute(all.toArray(String[]::new));
    }

    Path configFile(String json) throws Exception {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, json);
        return f;
    }

    String onlyRun() throws Exception {
        List<String> ids = store().ids();
        assertEquals(1, ids.size(), ids.toString());
        return ids.get(0);
    }

    /** Behaves like the real trainer: running, a few steps, then a final status. */
    static Training steps(int n, RunStatus end, String reason) {
        return (cfg, data, w, progress, stopRequested) -> {
            w.status(RunStatus.RUNNING, "");
            for (int s = 0; s < n; s++) {
                w.scalars(s, new String[] {"loss"}, new double[] {1.0 / (s + 1)});
                progress.onIteration(s, n, 0, 1.0 / (s + 1), 0.5, 100);
            }
            w.status(end, reason);
            return new TrainOutcome(end, reason, n);
        };
    }

    @Test
    void a_good_config_becomes_a_run_with_the_full_config_and_exits_0() throws Exception {
        int code = train(steps(3, RunStatus.FINISHED, ""), configFile(CONFIG).toString());
        assertEquals(0, code, err.toString());
        String id = onlyRun();
        RunConfig expected = ConfigParser.parse(CONFIG, tmp);
        try (RunReader r = store().reader(id)) {
            assertEquals(expected, ConfigParser.parse(r.configJson(), tmp));
            assertEquals(RunStatus.FINISHED, r.state().status());
            assertEquals(2L, r.latest().step());
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.startsWith("run " + id + " (cli test): "), stdout);
        assertTrue(stdout.contains("step 3/3 epoch 1/3 loss 0.3333"), stdout);
        assertTrue(stdout.endsWith("run " + id + " finished\n"), stdout);
    }

    @Test
    void a_config_file_of_megabytes_is_refused_unread() throws Exception {
        Path big = configFile("{\"name\": \"" + "x".repeat(2 << 20) + "\"}");
        assertEquals(2, train(steps(1, RunStatus.FINISHED, ""), big.toString()));
        assertEquals("error: " + big + " is larger than 1024 KB: not a run config\n", err.toString());
        assertTrue(!Files.exists(runs()));
    }

    @Test
    void a_trainer_exception_ends_the_run_failed_with_the_reason_and_exit_1() throws Exception {
        Training throwing = (cfg, data, w, p, s) -> {
            w.status(RunStatus.RUNNING, "");
            throw new IllegalStateException("boom at step 0");
        };
        assertEquals(1, train(throwing, configFile(CONFIG).toString()));
        var state = store().state(onlyRun());
        assertEquals(RunStatus.FAILED, state.status());
        assertEquals("IllegalStateException: boom at step 0", state.reason());
        assertTrue(err.toString().contains("error: run " + onlyRun() + " failed: IllegalStateException: boom at step 0"), err.toString());
    }

    @Test
    void a_diverged_run_exits_1_with_its_reason() throws Exception {
        assertEquals(1, train(steps(2, RunStatus.DIVERGED, "loss is NaN at step 1"), configFile(CONFIG).toString()));
        assertEquals(RunStatus.DIVERGED, store().state(onlyRun()).status());
        assertTrue(err.toString().contains("diverged: loss is NaN at step 1"), err.toString());
    }

    @Test
    void a_signal_stops_the_trainer_which_records_stopped_before_the_process_ends_with_130() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Training untilStopped = (cfg, data, w, p, stopRequested) -> {
            w.status(RunStatus.RUNNING, "");
            long s = 0;
            while (!stopRequested.getAsBoolean()) {
                w.scalars(s++, new String[] {"loss"}, new double[] {1.0});
                w.flush();
                running.countDown();
                Thread.sleep(1); // a stand-in for real work between stop checks
            }
            w.status(RunStatus.STOPPED, "stopped by signal");
            return new TrainOutcome(RunStatus.STOPPED, "stopped by signal", s);
        };
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Thread signal = new Thread(() -> {
            try {
                running.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            stop.onSignal(Duration.ofSeconds(60), code -> {
                try (RunReader r = store().reader(store().ids().get(0))) {
                    halted.complete(r.state().status() == RunStatus.STOPPED ? code : -1);
                }
            });
        });
        signal.start();
        int code = train(untilStopped, configFile(CONFIG).toString());
        stop.finished(); // what TrainCommand.run does once execute returns
        assertEquals(130, code);
        assertEquals(130, halted.get(60, TimeUnit.SECONDS), "the hook ended the process before status stopped was on disk");
        try (RunReader r = store().reader(onlyRun())) {
            assertEquals(RunStatus.STOPPED, r.state().status());
            assertTrue(r.lastSeq() > 1);
        }
    }

    @Test
    void the_server_form_trains_a_queued_run_in_place() throws Exception {
        RunStore store = store();
        String id = store.newId();
        store.create(id, ConfigParser.toJson(ConfigParser.parse(CONFIG, tmp)), RunStatus.QUEUED, "");
        assertEquals(0, train(steps(4, RunStatus.FINISHED, ""), "--run", id));
        assertEquals(List.of(id), store.ids());
        try (RunReader r = store.reader(id)) {
            assertEquals(RunStatus.FINISHED, r.state().status());
            assertEquals(3L, r.latest().step());
        }
    }

    @Test
    void the_server_form_marks_a_run_with_a_bad_stored_config_failed_and_exits_2() throws Exception {
        RunStore store = store();
        String id = store.newId();
        store.create(id, "{\"optimizer\": {\"lr\": 0}}", RunStatus.QUEUED, "");
        assertEquals(2, train(steps(1, RunStatus.FINISHED, ""), "--run", id));
        assertEquals(RunStatus.FAILED, store.state(id).status());
        assertEquals("bad config: optimizer.lr must be > 0 (got 0.0)", store.state(id).reason());
    }

    @Test
    void the_server_form_refuses_unknown_and_malformed_ids_without_writing() throws Exception {
        assertEquals(2, train(steps(1, RunStatus.FINISHED, ""), "--run", "nope"));
        assertTrue(err.toString().startsWith("error: no run nope under "), err.toString());
        assertEquals(2, train(steps(1, RunStatus.FINISHED, ""), "--run", "../etc"));
        assertTrue(err.toString().contains("error: invalid run id ../etc"), err.toString());
        assertTrue(!Files.exists(runs()) || store().ids().isEmpty());
    }

    @Test
    void the_server_form_never_retrains_a_run_that_is_not_queued() throws Exception {
        assertEquals(0, train(steps(2, RunStatus.FINISHED, ""), configFile(CONFIG).toString()));
        String id = onlyRun();
        long seq;
        try (RunReader r = store().reader(id)) {
            seq = r.lastSeq();
        }
        assertEquals(2, train(steps(5, RunStatus.FINISHED, ""), "--run", id));
        assertTrue(err.toString().contains("error: run " + id + " is finished, not queued: nothing to take over"), err.toString());
        try (RunReader r = store().reader(id)) {
            assertEquals(seq, r.lastSeq());
        }
    }

    @Test
    void a_run_another_trainer_holds_is_not_taken_over() throws Exception {
        RunStore store = store();
        String id = store.newId();
        store.create(id, ConfigParser.toJson(ConfigParser.parse(CONFIG, tmp)), RunStatus.QUEUED, "");
        try (RunWriter owner = store.openWriter(id)) {
            assertEquals(1, train(steps(1, RunStatus.FINISHED, ""), "--run", id));
            assertTrue(err.toString().startsWith("error: cannot take over run " + id), err.toString());
            assertEquals(RunStatus.QUEUED, store.state(id).status());
        }
    }
}
