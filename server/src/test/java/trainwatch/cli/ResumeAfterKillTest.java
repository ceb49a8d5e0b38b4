package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.Series;

/**
 * Issue 16 point 11 with real processes: `train` killed with SIGKILL mid-epoch, then `train --resume ID`, ends with
 * every step from 0 to the last exactly once (the steps recorded after the checkpoint superseded) and seq still
 * increasing. The test kills only the child it started itself.
 */
class ResumeAfterKillTest {
    static final String SPIRAL = "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, "
            + "\"batchSize\": 30, \"epochs\": 100000, \"maxIterations\": 800, \"evalEvery\": 50}";
    static final long DEADLINE_MS = 180_000;

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

    @Test
    void a_run_killed_mid_epoch_and_resumed_records_every_step_exactly_once() throws Exception {
        Files.writeString(tmp.resolve("spiral.json"), SPIRAL);
        child = ChildJvm.start(tmp, tmp.resolve("data"), "train", "spiral.json", "--runs", "runs");
        String id = waitForCheckpointAndSteps();
        child.destroyForcibly(); // SIGKILL: no final status, no final checkpoint
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        long seqBefore;
        long lastBefore;
        try (RunReader r = store().reader(id)) {
            seqBefore = r.lastSeq();
            lastBefore = r.latest().step();
        }
        assertEquals(RunStatus.RUNNING, store().state(id).status(), "killed: nobody wrote a final status");
        assertTrue(lastBefore >= 100, "records after the first epoch checkpoint (step 10) to supersede: last step " + lastBefore);

        child = ChildJvm.start(tmp, tmp.resolve("data"), "train", "--resume", id, "--runs", "runs");
        assertTrue(child.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS), "resume did not finish: " + output());
        assertEquals(0, child.exitValue(), output());
        assertTrue(output().contains("resumed at step "), output());

        try (RunReader r = store().reader(id)) {
            assertEquals(RunStatus.FINISHED, r.state().status());
            Series loss = r.series("loss", 100_000, Long.MIN_VALUE, Long.MAX_VALUE);
            long[] steps = loss.step();
            assertEquals(800, steps.length, "one loss value per step, no duplicates from before the kill");
            for (int i = 0; i < steps.length; i++) assertEquals(i, steps[i], "step at position " + i);
            assertTrue(r.lastSeq() > seqBefore, "seq keeps increasing across the resume: " + r.lastSeq() + " after " + seqBefore);
            assertEquals(List.of(), r.problems());
            assertEquals(1, r.resumes().size(), "one resume recorded: " + r.resumes());
        }
    }

    /** The run id once it has an epoch checkpoint and at least 100 steps (so records after that checkpoint exist). */
    String waitForCheckpointAndSteps() throws Exception {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < end) {
            assertTrue(child.isAlive(), () -> "train ended early: " + output());
            List<String> ids = Files.isDirectory(tmp.resolve("runs")) ? store().ids() : List.of();
            if (!ids.isEmpty() && Files.exists(store().dir(ids.get(0)).resolve("checkpoints").resolve("epoch-0001.zip"))) {
                try (RunReader r = store().reader(ids.get(0))) {
                    Scalars latest = r.latest();
                    if (latest != null && latest.step() >= 100) return ids.get(0);
                }
            }
            Thread.sleep(50); // polling the disk for a condition, bounded by the deadline
        }
        throw new AssertionError("no checkpoint and step 100 within " + DEADLINE_MS + " ms: " + output());
    }

    String output() {
        try {
            return Files.readString(tmp.resolve("stdout.txt")) + Files.readString(tmp.resolve("stderr.txt"));
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }
}
