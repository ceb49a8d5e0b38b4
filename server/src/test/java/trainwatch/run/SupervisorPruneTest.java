package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;
import trainwatch.testkit.TestClock;

/** Supervisor.stop(id, as): the requested final status where the supervisor writes it (a queued run, a trainer it had to kill). */
class SupervisorPruneTest {
    @TempDir
    Path runs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;
    static final StopRequest PRUNE = new StopRequest(RunStatus.PRUNED, "pruned at rung 1 (epoch 3): val_acc 0.6 < 0.7, the top 1/3 threshold (1 of 3 trials at this rung go on)");

    private Launcher shell(String script) {
        return new Launcher() {
            @Override
            public Process startTrainer(String id) throws IOException {
                Process p = new ProcessBuilder("bash", "-c", script).start();
                started.add(p);
                return p;
            }

            @Override
            public Process startCheck(String id, String check) throws IOException {
                return startTrainer(id);
            }
        };
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) supervisor.close();
        started.forEach(Process::destroyForcibly);
    }

    private static String queued(RunStore store) {
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        return id;
    }

    @Test
    void pruning_a_queued_run_ends_it_pruned_at_once() {
        RunStore store = new RunStore(runs, Clock.systemUTC());
        supervisor = new Supervisor(store, shell("sleep 600"), Clock.systemUTC(), 1, 10_000);
        String busy = queued(store), waiting = queued(store);
        supervisor.submit(busy);
        supervisor.submit(waiting);
        supervisor.stop(waiting, PRUNE);
        StatusRecord s = store.state(waiting);
        assertEquals(RunStatus.PRUNED, s.status());
        assertEquals(PRUNE.reason(), s.reason());
    }

    @Test
    void a_trainer_killed_after_ignoring_the_prune_reads_pruned_with_the_reason() throws Exception {
        RunStore store = new RunStore(runs, Clock.systemUTC());
        TestClock clock = TestClock.ticking();
        Path trapped = runs.resolve("trap-installed");
        supervisor = new Supervisor(store, shell("trap '' TERM; touch '" + trapped + "'; while true; do sleep 0.1; done"), clock, 1, 600_000);
        supervisor.start();
        String id = queued(store);
        supervisor.submit(id);
        long end = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(trapped)) {
            assertTrue(System.nanoTime() < end, "the stand-in trainer never started");
            Thread.sleep(20);
        }
        supervisor.stop(id, PRUNE);
        assertEquals(PRUNE, store.stopRequest(id), "the request is stored for the trainer before it is signalled");
        clock.advance(Duration.ofMinutes(11));
        while (store.state(id).status() != RunStatus.PRUNED) {
            assertTrue(System.nanoTime() < end, "not pruned: " + store.state(id));
            supervisor.tick();
            Thread.sleep(20);
        }
        assertTrue(store.state(id).reason().startsWith(PRUNE.reason() + " (the trainer was killed after 600000 ms)"), store.state(id).reason());
    }
}
