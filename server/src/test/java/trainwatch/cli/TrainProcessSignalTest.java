package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.TailBatch;

/**
 * The real `train` command (real trainer, real store) in a child JVM, killed
 * mid-run: SIGKILL leaves every earlier record readable; SIGTERM ends it with
 * exit 130 and status stopped. A spiral mlp keeps the runs tiny.
 */
class TrainProcessSignalTest {
    static final String LONG_SPIRAL = "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, "
            + "\"epochs\": 100000, \"evalEvery\": 500}";
    static final long DEADLINE_MS = 120_000;

    @TempDir
    Path tmp;
    Process child;

    @AfterEach
    void reap() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    RunStore store() {
        return new RunStore(tmp.resolve("runs"), Clock.systemUTC());
    }

    /** Starts training and returns the run id once the run has recorded step {@code step}. */
    String startAndWaitFor(long step) throws Exception {
        Files.writeString(tmp.resolve("spiral.json"), LONG_SPIRAL);
        child = ChildJvm.start(tmp, tmp.resolve("data"), "train", "spiral.json", "--runs", "runs");
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < end) {
            assertTrue(child.isAlive(), () -> "train ended early: " + output());
            List<String> ids = Files.isDirectory(tmp.resolve("runs")) ? store().ids() : List.of();
            if (!ids.isEmpty()) {
                try (RunReader r = store().reader(ids.get(0))) {
                    Scalars latest = r.latest();
                    if (latest != null && latest.step() >= step) return ids.get(0);
                }
            }
            Thread.sleep(100); // polling the disk for a condition, bounded by the deadline
        }
        throw new AssertionError("no step " + step + " within " + DEADLINE_MS + " ms: " + output());
    }

    String output() {
        try {
            return Files.readString(tmp.resolve("stdout.txt")) + Files.readString(tmp.resolve("stderr.txt"));
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }

    static List<RunEvent> readAll(RunReader r, List<String> problems) {
        List<RunEvent> all = new ArrayList<>();
        long pos = r.positionAfter(-1);
        assertTrue(pos >= 0, "records from the start must be readable");
        while (true) {
            TailBatch b = r.readFrom(pos, 10_000);
            all.addAll(b.events());
            problems.addAll(b.problems());
            if (b.events().isEmpty() || b.next() == pos) return all;
            pos = b.next();
        }
    }

    static long steps(List<Scalars> scalars) {
        return scalars.stream().mapToLong(Scalars::step).distinct().count();
    }

    static List<Scalars> scalars(List<RunEvent> events) {
        return events.stream().filter(e -> e instanceof Scalars).map(e -> (Scalars) e).toList();
    }

    @Test
    void sigkill_mid_run_leaves_every_earlier_record_readable_and_a_torn_tail_skipped() throws Exception {
        String id = startAndWaitFor(200);
        List<Scalars> before;
        try (RunReader r = store().reader(id)) {
            before = scalars(readAll(r, new ArrayList<>()));
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        TornTail.append(store().dir(id));

        List<String> problems = new ArrayList<>();
        List<Scalars> after;
        try (RunReader r = store().reader(id)) {
            after = scalars(readAll(r, problems));
            assertEquals(RunStatus.RUNNING, r.state().status(), "no final status: the server will call it interrupted");
        }
        assertTrue(steps(before) >= 201, "steps seen while it ran: " + steps(before));
        assertTrue(after.size() >= before.size());
        assertEquals(before, after.subList(0, before.size()), "every record seen before the kill reads back unchanged");
        List<Long> steps = after.stream().map(Scalars::step).distinct().toList();
        for (int i = 0; i < steps.size(); i++) assertEquals(i, steps.get(i), "steps are contiguous from 0");
        for (Scalars s : after) assertTrue(Double.isFinite(s.value("loss")), s.toString());
    }

    @Test
    void sigterm_stops_the_run_with_status_stopped_and_exit_130() throws Exception {
        String id = startAndWaitFor(100);
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "train did not stop");
        assertEquals(130, child.exitValue(), output());
        try (RunReader r = store().reader(id)) {
            assertEquals(RunStatus.STOPPED, r.state().status());
            List<String> problems = new ArrayList<>();
            List<RunEvent> events = readAll(r, problems);
            assertEquals(List.of(), problems);
            assertTrue(steps(scalars(events)) >= 101, "steps: " + steps(scalars(events)));
            assertEquals(r.lastSeq(), events.get(events.size() - 1).seq());
        }
        assertTrue(output().contains("run " + id + " stopped"), output());
    }
}
