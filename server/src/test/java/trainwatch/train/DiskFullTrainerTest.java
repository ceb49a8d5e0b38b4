package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunWriter;
import trainwatch.testkit.MemoryRunWriter;

/** Issue 16 point 12: a full disk stops the trainer cleanly, interrupted with a one-line reason, its records kept. */
class DiskFullTrainerTest {
    @TempDir
    Path tmp;

    RunConfig cfg() {
        return Fixtures.mlp("spiral", List.of(10), Fixtures.opt("adam", 0.01), 50, 1000, 5);
    }

    @Test
    void free_space_falling_below_the_floor_stops_the_run_interrupted_with_the_bytes_left() throws Exception {
        Path runs = tmp.resolve("runs");
        MemoryRunWriter out = new MemoryRunWriter(runs.resolve("r1"));
        AtomicLong free = new AtomicLong(10L << 30);
        DiskSpace.Probe probe = dir -> {
            assertEquals(runs.toAbsolutePath(), dir, "space is measured under the runs directory");
            return free.get();
        };
        TrainOutcome outcome = Trainer.run(cfg(), Fixtures.spiral(50, 5), out, (step, total, epoch, loss, acc, eps) -> {
            if (step == 20) free.set(1234);
        }, () -> false, List.of(), null, probe);

        assertEquals(RunStatus.INTERRUPTED, outcome.status());
        assertEquals("disk full: 1234 bytes free under runs/", outcome.reason());
        assertEquals(RunStatus.INTERRUPTED, out.statuses.get(out.statuses.size() - 1).status());
        assertTrue(out.scalars.size() >= 21, "the records before the disk filled are kept: " + out.scalars.size());
    }

    @Test
    void a_write_failing_with_no_space_left_ends_interrupted_not_failed() throws Exception {
        AtomicLong free = new AtomicLong(10L << 30);
        MemoryRunWriter mem = new MemoryRunWriter(tmp.resolve("runs").resolve("r2"));
        RunWriter out = new RunWriter() { // the in-memory writer, with the disk filling up at step 7
            @Override
            public long scalars(long step, String[] tags, double[] values) {
                if (step == 7) {
                    free.set(4096);
                    throw new UncheckedIOException(new IOException("No space left on device"));
                }
                return mem.scalars(step, tags, values);
            }

            @Override
            public long filters(long step, int[] shape, float[] data) {
                return mem.filters(step, shape, data);
            }

            @Override
            public long status(RunStatus status, String reason) {
                return mem.status(status, reason);
            }

            @Override
            public long alert(long step, String kind, String tag, String message, String advice) {
                return mem.alert(step, kind, tag, message, advice);
            }

            @Override
            public long check(String check, String outcome, String summary, String detailsJson) {
                return mem.check(check, outcome, summary, detailsJson);
            }

            @Override
            public Path checkpointDir() {
                return mem.checkpointDir();
            }

            @Override
            public void flush() {
                mem.flush();
            }

            @Override
            public void close() {
                mem.close();
            }
        };
        TrainOutcome outcome = Trainer.run(cfg(), Fixtures.spiral(50, 5), out, ProgressObserver.NONE, () -> false, List.of(), null,
                dir -> free.get());

        assertEquals(RunStatus.INTERRUPTED, outcome.status());
        assertEquals("disk full: 4096 bytes free under runs/", outcome.reason());
        assertEquals(7, mem.scalars.size());
    }
}
