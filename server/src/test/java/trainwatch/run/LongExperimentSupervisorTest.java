package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;

/**
 * Issue 16 points 7, 11 and 12 on the server side, with stand-in processes this test starts (and alone kills):
 * checks take --max-parallel slots, deleting a run stops its checks, resume queues the run, a full disk is refused
 * with 507 and an interrupted status that cannot be written is kept in memory.
 */
class LongExperimentSupervisorTest {
    @TempDir
    Path runs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;
    private RunService service;
    private RunStore store;

    /** Trainers run {@code trainer}, checks run {@code check} (bash; RUN_DIR is the run's directory). */
    private void start(int maxParallel, String trainer, String check) {
        store = new RunStore(runs, Clock.systemUTC());
        Launcher l = new Launcher() {
            @Override
            public Process startTrainer(String id) throws IOException {
                return bash(trainer, id);
            }

            @Override
            public Process startCheck(String id, String name) throws IOException {
                return bash(check, id);
            }
        };
        supervisor = new Supervisor(store, l, Clock.systemUTC(), maxParallel, 10_000);
        supervisor.start();
        ReaderPool readers = new ReaderPool(store);
        service = new RunService(store, readers, new RunIndex(store, readers, Clock.systemUTC()), supervisor);
    }

    private Process bash(String script, String id) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
        pb.environment().put("RUN_DIR", runs.resolve(id).toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private String run(RunStatus status) {
        String id = store.newId();
        store.create(id, "{\"name\":\"t\",\"dataset\":\"spiral\"}", status, "");
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
    void tearDown() throws Exception {
        if (supervisor != null) supervisor.close();
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_check_takes_a_max_parallel_slot() throws Exception {
        start(1, "sleep 600", "sleep 600");
        String done = run(RunStatus.FINISHED);
        supervisor.startCheck(done, "overfit");
        String queued = run(RunStatus.QUEUED);
        supervisor.submit(queued);
        assertEquals(List.of(queued), supervisor.queued(), "the check holds the only slot");
        RunException refused = assertThrows(RunException.class, () -> supervisor.startCheck(done, "gradients"));
        assertTrue(refused.getMessage().contains("slots (--max-parallel) are busy"), refused.getMessage());

        started.get(0).destroyForcibly(); // the check process this test's launcher started
        await("the queued run to start once the check is gone", () -> supervisor.childPid(queued) > 0);
    }

    @Test
    void deleting_a_run_stops_its_checks_first_so_no_checks_directory_comes_back() throws Exception {
        start(2, "sleep 600", "while true; do mkdir -p \"$RUN_DIR/checks\" && echo '{}' > \"$RUN_DIR/checks/overfit.json\"; sleep 0.05; done");
        String id = run(RunStatus.FINISHED);
        service.startCheck(id, "overfit");
        await("the check to write its file", () -> Files.exists(runs.resolve(id).resolve("checks/overfit.json")));

        service.delete(id);

        assertFalse(started.get(0).isAlive(), "the check process was ended before the run was deleted");
        Thread.sleep(500); // the old check wrote every 50 ms: give an orphan ten chances to appear
        assertFalse(Files.exists(runs.resolve(id)), "no orphan " + id + "/checks directory reappears");
    }

    @Test
    void an_interrupted_or_stopped_run_is_queued_again_on_resume_and_a_finished_one_is_not() throws Exception {
        start(1, "sleep 600", "sleep 600");
        String interrupted = run(RunStatus.INTERRUPTED);
        service.resume(interrupted);
        assertEquals(RunStatus.QUEUED, store.state(interrupted).status());
        await("its trainer to start", () -> supervisor.childPid(interrupted) > 0);

        String finished = run(RunStatus.FINISHED);
        RunException e = assertThrows(RunException.class, () -> service.resume(finished));
        assertEquals(RunException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("only an interrupted or stopped run can be resumed"), e.getMessage());
    }

    @Test
    void on_a_full_disk_a_new_run_and_a_resume_are_refused_with_507_and_the_bytes_left() {
        start(1, "sleep 600", "sleep 600");
        service.useDiskProbe(dir -> 5L << 20);
        RunException e = assertThrows(RunException.class, () -> service.create("{\"dataset\":\"spiral\"}"));
        assertEquals(RunException.Kind.INSUFFICIENT_STORAGE, e.kind());
        assertTrue(e.getMessage().startsWith("disk full: 5242880 bytes free under " + runs.getFileName() + "/"), e.getMessage());
        assertEquals(List.of(), store.ids(), "nothing was created");
        String stopped = run(RunStatus.STOPPED);
        assertEquals(RunException.Kind.INSUFFICIENT_STORAGE, assertThrows(RunException.class, () -> service.resume(stopped)).kind());

        service.useDiskProbe(dir -> 10L << 30); // space freed
        service.resume(stopped);
        assertEquals(RunStatus.QUEUED, store.state(stopped).status());
    }

    @Test
    void a_dead_trainers_run_reads_interrupted_with_the_disk_full_reason_even_when_status_json_cannot_be_rewritten() throws Exception {
        start(1, "exit 1", "sleep 600");
        service.useDiskProbe(dir -> 1000);
        String id = run(RunStatus.RUNNING);
        Path dir = runs.resolve(id);
        assumeTrue(chattr("+i", dir), "needs chattr +i to make status.json impossible to replace");
        try {
            store.writeState(id, new StatusRecord(RunStatus.RUNNING, "", System.currentTimeMillis() - 60_000, 0, 1));
        } catch (RuntimeException expected) {
            // immutable: the rewrite fails, which is the point; the old status stays 'running'
        }
        try {
            await("the dead run to be settled", () -> store.state(id).status() == RunStatus.INTERRUPTED);
            StatusRecord s = EffectiveStatus.read(store, id);
            assertTrue(s.reason().startsWith("disk full: 1000 bytes free under "), s.reason());
            assertTrue(Files.readString(dir.resolve("status.json")).contains("\"running\""), "status.json itself could not be rewritten");
            assertEquals("interrupted", service.get(id).status());
        } finally {
            chattr("-i", dir);
        }
        assertEquals(RunStatus.INTERRUPTED, store.state(id).status());
        assertTrue(Files.readString(dir.resolve("status.json")).contains("\"interrupted\""), "written once it could be");
    }

    private static boolean chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && (flag.startsWith("-") || !Files.isWritable(dir) || !canCreate(dir));
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean canCreate(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve("probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
