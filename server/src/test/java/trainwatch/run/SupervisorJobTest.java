package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;

/** Jobs (ensemble evaluations) take --max-parallel slots and queue first come, first served with the runs; stand-in processes. */
class SupervisorJobTest {
    @TempDir
    Path runs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;
    private RunStore store;

    private Process sleeper() {
        try {
            Process p = new ProcessBuilder("sleep", "600").start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(int maxParallel) {
        store = new RunStore(runs, Clock.systemUTC());
        supervisor = new Supervisor(store, new Launcher() {
            @Override
            public Process startTrainer(String id) {
                return sleeper();
            }

            @Override
            public Process startCheck(String id, String check) {
                return sleeper();
            }
        }, Clock.systemUTC(), maxParallel, 10_000);
        supervisor.start();
    }

    private String queuedRun() {
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        return id;
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) supervisor.close();
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void a_job_waits_for_a_slot_behind_earlier_runs_and_ahead_of_later_ones() throws Exception {
        start(1);
        String a = queuedRun();
        supervisor.submit(a);
        AtomicInteger jobStarts = new AtomicInteger();
        Process[] job = new Process[1];
        supervisor.submitJob("ensemble:e1", () -> {
            jobStarts.incrementAndGet();
            return job[0] = sleeper();
        });
        String b = queuedRun();
        supervisor.submit(b);
        assertEquals(0, jobStarts.get(), "the only slot is a's");
        assertEquals(List.of(b), supervisor.queued(), "jobs are not listed as queued runs");

        supervisor.stop(a);
        await("the job to start in a's slot", () -> jobStarts.get() == 1);
        supervisor.tick();
        assertEquals(List.of(b), supervisor.queued(), "b waits behind the job, which holds the slot");
        assertTrue(supervisor.ownProcesses().contains(job[0].toHandle()), "the job is among the supervisor's processes");

        supervisor.submitJob("ensemble:e1", () -> {
            jobStarts.incrementAndGet();
            return sleeper();
        });
        assertEquals(1, jobStarts.get(), "a running job is never started twice");

        Process p = supervisor.cancelJob("ensemble:e1");
        assertEquals(job[0], p, "cancelling a started job hands back its process");
        p.destroyForcibly().waitFor();
        await("b to get the freed slot", () -> {
            supervisor.tick();
            return supervisor.busy().contains(b);
        });
    }

    @Test
    void a_cancelled_job_never_starts() throws Exception {
        start(1);
        String a = queuedRun();
        supervisor.submit(a);
        AtomicInteger jobStarts = new AtomicInteger();
        supervisor.submitJob("ensemble:e2", () -> {
            jobStarts.incrementAndGet();
            return sleeper();
        });
        assertNull(supervisor.cancelJob("ensemble:e2"), "not started: nothing to end");
        supervisor.stop(a);
        await("a stopped", () -> store.state(a).status() == RunStatus.STOPPED);
        for (int i = 0; i < 3; i++) supervisor.tick();
        assertEquals(0, jobStarts.get());
        assertEquals(List.of(), supervisor.busy());
    }

    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
