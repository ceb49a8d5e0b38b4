package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import trainwatch.testkit.TestClock;

/** The supervisor with stand-in trainers (shell processes), so the queue, stop and exit rules are checked in seconds. */
class SupervisorTest {
    @TempDir
    Path runs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;

    /** Every "trainer" runs this shell script instead of the train command. */
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

    private RunStore store() {
        return new RunStore(runs, Clock.systemUTC());
    }

    /** A started supervisor whose "trainers" sleep until killed; returns its store. */
    private RunStore startWithSleepers(int maxParallel) {
        RunStore store = store();
        supervisor = new Supervisor(store, shell("sleep 600"), Clock.systemUTC(), maxParallel, 10_000);
        supervisor.start();
        return store;
    }

    private String queuedRun(RunStore store) {
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        return id;
    }

    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) supervisor.close();
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void a_trainer_that_exits_without_a_final_status_reads_interrupted_with_its_exit_code() throws Exception {
        RunStore store = store();
        supervisor = new Supervisor(store, shell("exit 3"), Clock.systemUTC(), 1, 10_000);
        supervisor.start();
        String id = queuedRun(store);
        supervisor.submit(id);
        await("interrupted", () -> store.state(id).status() == RunStatus.INTERRUPTED);
        assertTrue(store.state(id).reason().contains("code 3"), store.state(id).reason());
        assertTrue(!supervisor.isActive(id));
    }

    @Test
    void runs_beyond_max_parallel_wait_in_order() throws Exception {
        RunStore store = startWithSleepers(2);
        String a = queuedRun(store), b = queuedRun(store), c = queuedRun(store);
        supervisor.submit(a);
        supervisor.submit(b);
        supervisor.submit(c);
        assertEquals(2, supervisor.busy().size());
        assertEquals(List.of(c), supervisor.queued());
        supervisor.stop(a); // SIGTERM ends `sleep`; its slot goes to c
        await("c to start", () -> supervisor.busy().contains(c));
        await("a settled", () -> store.state(a).status() == RunStatus.STOPPED);
        assertEquals(List.of(), supervisor.queued());
    }

    /** The stop timeout runs on the supervisor's clock: ten minutes pass when the test says so, not in real time. */
    @Test
    void a_trainer_that_ignores_sigterm_is_killed_once_the_clock_passes_the_timeout_and_reads_stopped() throws Exception {
        RunStore store = store();
        TestClock clock = TestClock.ticking();
        Path trapped = runs.resolve("trap-installed");
        supervisor = new Supervisor(store, shell("trap '' TERM; touch '" + trapped + "'; while true; do sleep 0.1; done"), clock, 1, 600_000);
        supervisor.start();
        String id = queuedRun(store);
        supervisor.submit(id);
        long pid = supervisor.childPid(id);
        assertTrue(pid > 0);
        await("the trap", () -> java.nio.file.Files.exists(trapped));
        supervisor.stop(id);
        for (int i = 0; i < 3; i++) supervisor.tick();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "not killed before the timeout");
        assertTrue(store.state(id).status() != RunStatus.STOPPED, "still stopping");

        clock.advance(Duration.ofMinutes(10));
        await("stopped", () -> store.state(id).status() == RunStatus.STOPPED);
        assertTrue(store.state(id).reason().contains("killed after 600000 ms"), store.state(id).reason());
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    /** A trainer may be starting up: a 'running' run without its lock is settled only after the grace period, on the clock. */
    @Test
    void a_running_run_found_without_its_lock_is_left_alone_for_the_grace_period_then_reads_interrupted() throws Exception {
        TestClock clock = TestClock.frozen();
        RunStore store = new RunStore(runs, clock);
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        store.writeState(id, new StatusRecord(RunStatus.RUNNING, "", clock.millis(), 999_999, 0));
        supervisor = new Supervisor(store, shell("sleep 600"), clock, 1, 10_000);
        supervisor.start();
        supervisor.tick();
        assertEquals(RunStatus.RUNNING, store.state(id).status(), "within the grace period");

        clock.advance(Duration.ofMillis(Supervisor.GRACE_MS + 1));
        supervisor.tick();
        assertEquals(RunStatus.INTERRUPTED, store.state(id).status());
        assertTrue(store.state(id).reason().contains("without its lock"), store.state(id).reason());
    }

    @Test
    void a_queued_run_stops_at_once_and_a_finished_one_cannot_be_stopped() throws Exception {
        RunStore store = startWithSleepers(1);
        String busy = queuedRun(store), waiting = queuedRun(store);
        supervisor.submit(busy);
        supervisor.submit(waiting);
        supervisor.stop(waiting);
        assertEquals(RunStatus.STOPPED, store.state(waiting).status());
        RunException e = assertThrows(RunException.class, () -> supervisor.stop(waiting));
        assertEquals(RunException.Kind.CONFLICT, e.kind());
    }

    /** The trainer has written 'stopped' but its JVM is still exiting (here: never exits): nothing is left to stop. */
    @Test
    void a_run_whose_trainer_wrote_a_final_status_but_is_still_exiting_cannot_be_stopped_again() throws Exception {
        RunStore store = startWithSleepers(1);
        String id = queuedRun(store);
        supervisor.submit(id);
        long pid = supervisor.childPid(id);
        assertTrue(pid > 0, "the stand-in trainer started");
        store.writeState(id, new StatusRecord(RunStatus.STOPPED, "stopped on request", System.currentTimeMillis(), pid, 0));

        RunException e = assertThrows(RunException.class, () -> supervisor.stop(id));

        assertEquals(RunException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("not running (status stopped)"), e.getMessage());
        assertEquals("stopped on request", store.state(id).reason());
    }

    /** A queued run that got a final status elsewhere (e.g. taken over by a hand-run `train --run`) keeps it. */
    @Test
    void stopping_a_queued_run_that_already_has_a_final_status_is_refused_and_does_not_overwrite_it() throws Exception {
        RunStore store = startWithSleepers(1);
        String busy = queuedRun(store), waiting = queuedRun(store);
        supervisor.submit(busy);
        supervisor.submit(waiting);
        assertEquals(List.of(waiting), supervisor.queued());
        store.writeState(waiting, new StatusRecord(RunStatus.FINISHED, "", System.currentTimeMillis(), 0, 0));

        RunException e = assertThrows(RunException.class, () -> supervisor.stop(waiting));

        assertEquals(RunException.Kind.CONFLICT, e.kind());
        assertEquals(RunStatus.FINISHED, store.state(waiting).status(), "the final status stands");
    }

    @Test
    void at_start_a_running_run_without_a_live_trainer_reads_interrupted_and_a_queued_one_is_started() throws Exception {
        RunStore store = store();
        String dead = queuedRun(store), waiting = queuedRun(store);
        store.writeState(dead, new trainwatch.store.StatusRecord(RunStatus.RUNNING, "", System.currentTimeMillis() - 60_000, 999_999, 0));
        supervisor = new Supervisor(store, shell("sleep 600"), Clock.systemUTC(), 1, 10_000);
        supervisor.start();
        await("interrupted", () -> store.state(dead).status() == RunStatus.INTERRUPTED);
        assertTrue(supervisor.busy().contains(waiting), "the queued run got the slot");
    }
}
