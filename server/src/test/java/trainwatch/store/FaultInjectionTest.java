package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;

/** Crashes and a full disk injected at the file-operation level (FileOps), at every step of a run's writes. */
class FaultInjectionTest {
    private static final long KEPT = 250;
    /** A fixed clock: no time-based auto-flush, so every run of the workload takes the same file steps. */
    private static final Clock CLOCK = Clock.fixed(java.time.Instant.parse("2026-11-29T00:00:00Z"), java.time.ZoneOffset.UTC);

    @TempDir
    Path root;

    /** Session 1 wrote steps 0..299; session 2 resumed after step 250 with other values. */
    static double value(int session, long step) {
        if (session == 1) return step % 77 == 0 ? Double.NaN : 10.0 / (step + 1);
        return -step;
    }

    /** A small but complete life: create, status, scalars over several blocks, a new tag, alert, filters, check, stop, resume. */
    static void workload(RunStore store) {
        workload(store, new long[1]);
    }

    /** stoppedSeq[0]: seq of session 1's last record (its status change is fsynced), 0 when not reached. */
    static void workload(RunStore store, long[] stoppedSeq) {
        store.create("c", "{\"seed\":1}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("c")) {
            w.status(RunStatus.RUNNING, "");
            for (long s = 0; s < 300; s++) {
                if (s < 200) w.scalars(s, new String[] {"loss"}, new double[] {value(1, s)});
                else w.scalars(s, new String[] {"loss", "lr"}, new double[] {value(1, s), 0.1});
                if (s == 100) w.alert(s, "plateau", "loss", "flat", "raise lr");
                if (s == 150) w.filters(s, new int[] {1, 1, 1, 2}, new float[] {1, 2});
                if (s % 64 == 63) w.flush();
            }
            w.check("initial_loss", "pass", "ok", "{}");
            stoppedSeq[0] = w.status(RunStatus.STOPPED, "");
        }
        try (RunWriter w = store.openForResume("c", KEPT)) {
            for (long s = KEPT + 1; s < 330; s++) w.scalars(s, new String[] {"loss"}, new double[] {value(2, s)});
            w.status(RunStatus.FINISHED, "");
        }
    }

    @Test
    void a_crash_before_any_file_step_of_a_runs_life_leaves_a_run_that_reads_back_consistent_and_reopens() throws IOException {
        FaultyOps count = FaultyOps.counting();
        workload(new RunStore(root.resolve("clean"), CLOCK, count));
        long steps = count.steps();
        assertTrue(steps > 60, "the workload takes many file steps: " + count.trace);
        assertConsistent(new RunStore(root.resolve("clean"), CLOCK), true);

        for (long k = 0; k <= steps; k++) {
            Path dir = root.resolve("k" + k);
            FaultyOps crash = FaultyOps.crashAt(k);
            long[] stoppedSeq = {0};
            try {
                workload(new RunStore(dir, CLOCK, crash), stoppedSeq);
            } catch (RuntimeException expected) {
                assertTrue(crash.crashed(), "only the injected crash may fail the workload (step " + k + "): " + expected);
            }
            assertEquals(k < steps, crash.crashed(), "step " + k);
            RunStore after = new RunStore(dir, CLOCK, FaultyOps.counting()); // real files, no real fsync (fast)
            if (!after.exists("c")) {
                assertTrue(k < 10, "only a crash while creating the run leaves no run (step " + k + ")");
                continue;
            }
            String what = "crash at step " + k + " (" + (k < steps ? count.trace.get((int) k) : "none") + ")";
            boolean pending = Files.exists(dir.resolve("c").resolve("index").resolve("resume.pending"));
            assertConsistent(after, false, what);
            try (RunWriter w = after.openWriter("c")) {
                long seq = w.scalars(1000, new String[] {"loss"}, new double[] {7});
                assertTrue(seq > stoppedSeq[0], what + ": seq " + seq + " reused (session 1 reached " + stoppedSeq[0] + ")");
            }
            List<Scalars> back = assertConsistent(after, true, what + ", reopened");
            assertEquals(1000, back.get(back.size() - 1).step(), what);
            if (pending) {
                try (RunReader r = after.reader("c")) {
                    assertEquals(1, r.resumes().size(), what + ": the reopen finished the pending resume");
                }
            }
        }
    }

    private static List<Scalars> assertConsistent(RunStore store, boolean reopened) {
        return assertConsistent(store, reopened, "clean run");
    }

    /** No problems, seq increasing, one record per step with the right session's value, series and best agree with the records. */
    private static List<Scalars> assertConsistent(RunStore store, boolean reopened, String what) {
        List<Scalars> out = new ArrayList<>();
        try (RunReader r = store.reader("c")) {
            assertNotNull(r.state(), what);
            TailBatch b = r.readFrom(0, 100_000);
            assertEquals(List.of(), b.problems(), what);
            assertEquals(List.of(), r.problems(), what);
            List<Resumed> resumes = r.resumes();
            assertTrue(resumes.size() <= 1, what);
            long resumeSeq = resumes.isEmpty() ? Long.MAX_VALUE : resumes.get(0).seq();
            if (!resumes.isEmpty()) assertEquals(KEPT + 1, resumes.get(0).fromStep(), what);
            long prevSeq = 0, prevStep = -1;
            List<BruteForce.Point> loss = new ArrayList<>();
            for (RunEvent e : b.events()) {
                assertTrue(e.seq() > prevSeq, what + ": seq increases");
                prevSeq = e.seq();
                if (!(e instanceof Scalars s)) continue;
                assertTrue(s.step() > prevStep, what + ": one record per step, step " + s.step());
                prevStep = s.step();
                out.add(s);
                double v = s.value("loss");
                loss.add(new BruteForce.Point(s.step(), v));
                if (s.step() == 1000) continue;
                int session = s.seq() > resumeSeq ? 2 : 1;
                if (session == 1) assertTrue(s.step() < 300 && (resumeSeq == Long.MAX_VALUE || s.step() <= KEPT), what + ": step " + s.step());
                assertEquals(Double.doubleToLongBits(value(session, s.step())), Double.doubleToLongBits(v), what + ": value at " + s.step());
            }
            for (int points : new int[] {7, 100_000})
                BruteForce.assertSame(BruteForce.series("loss", loss, points, Long.MIN_VALUE, Long.MAX_VALUE),
                        r.series("loss", points, Long.MIN_VALUE, Long.MAX_VALUE), what + ", points=" + points);
            Best want = null;
            for (BruteForce.Point p : loss)
                if (Double.isFinite(p.value()) && (want == null || p.value() < want.value())) want = new Best(p.value(), p.step());
            assertEquals(want, r.best("loss", Goal.MIN), what);
            if (reopened) {
                assertFalse(Files.exists(store.dir("c").resolve("index").resolve("resume.pending")), what);
            }
        }
        return out;
    }

    @Test
    void a_full_disk_raises_DiskFullException_with_the_free_bytes_and_every_record_flushed_before_reads_back() {
        FaultyOps disk = FaultyOps.diskOf(40_000);
        RunStore store = new RunStore(root, CLOCK, disk);
        store.create("d", "{}", RunStatus.QUEUED, "");
        long flushedUpTo = -1;
        DiskFullException full = null;
        try (RunWriter w = store.openWriter("d")) {
            w.status(RunStatus.RUNNING, "");
            for (long s = 0; s < 1_000_000; s++) {
                w.scalars(s, new String[] {"loss", "acc"}, new double[] {s, -s});
                if (s % 10 == 9) {
                    w.flush();
                    flushedUpTo = s;
                }
            }
        } catch (DiskFullException e) {
            full = e;
        }
        assertNotNull(full, "the disk filled");
        assertTrue(full.getMessage().startsWith("disk full: " + full.freeBytes() + " bytes free under "), full.getMessage());
        assertTrue(full.freeBytes() >= 0 && full.freeBytes() < 40_000, full.getMessage());
        assertTrue(full.where().toAbsolutePath().startsWith(root.resolve("d").toAbsolutePath()), full.getMessage());
        assertTrue(flushedUpTo > 100, "records were flushed before the disk filled: " + flushedUpTo);
        assertThrows(DiskFullException.class, () -> store.writeState("d", new StatusRecord(RunStatus.FAILED, "disk full", 1, 0, 1)));

        RunStore freed = new RunStore(root, CLOCK);
        assertEquals(RunStatus.RUNNING, freed.state("d").status(), "status.json is the old one, whole");
        try (RunReader r = freed.reader("d")) {
            TailBatch b = r.readFrom(0, 1_000_000);
            assertEquals(List.of(), b.problems());
            long step = 0;
            for (RunEvent e : b.events()) {
                if (!(e instanceof Scalars s)) continue;
                assertEquals(step, s.step());
                assertEquals((double) step, s.value("loss"));
                step++;
            }
            assertTrue(step > flushedUpTo, "every flushed record reads back: " + step + " vs " + flushedUpTo);
            assertEquals(step, r.series("acc", 100_000, 0, Long.MAX_VALUE).total());
        }
        try (RunWriter w = freed.openWriter("d")) {
            w.scalars(2_000_000, new String[] {"loss"}, new double[] {1});
        }
        try (RunReader r = freed.reader("d")) {
            assertEquals(List.of(), r.problems());
            assertEquals(2_000_000, r.latestStep("loss"), "after space is freed the run continues");
        }
    }

    @Test
    void every_rename_of_a_durable_file_follows_an_fsync_of_its_data_and_precedes_an_fsync_of_its_directory() {
        FaultyOps ops = FaultyOps.counting();
        workload(new RunStore(root, CLOCK, ops));
        List<String> t = ops.trace;
        int renames = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!t.get(i).startsWith("rename ")) continue;
            String[] p = t.get(i).split(" ");
            if (p[2].endsWith(".f32")) continue; // filter snapshots: visible atomically, not durable (documented)
            renames++;
            assertEquals("force " + p[1], t.get(i - 1), "fsync before rename: " + t.subList(Math.max(0, i - 3), i + 2));
            assertTrue(t.get(i + 1).startsWith("syncDir "), "directory fsync after rename: " + t.subList(i - 1, Math.min(t.size(), i + 3)));
        }
        assertTrue(renames >= 8, "status, config, tags.tsv, resume.pending: " + renames + " in " + t);
        assertTrue(t.stream().anyMatch(s -> s.matches("rename \\.tags\\.tsv\\.[0-9a-f]+\\.tmp tags\\.tsv")), "tags.tsv is replaced atomically");
    }

    @Test
    void writeDurably_fsyncs_then_renames_then_fsyncs_the_directory_and_a_failing_body_leaves_the_old_file() throws IOException {
        Path target = root.resolve("final.zip");
        FaultyOps ops = FaultyOps.counting();
        AtomicFiles.write(ops, target, out -> out.write(new byte[] {1, 2, 3}), true);
        assertEquals(List.of("write .final.zip", "force .final.zip", "rename .final.zip final.zip", "syncDir " + root.getFileName()),
                ops.trace.stream().map(s -> s.replaceAll("\\.[0-9a-f]+\\.tmp", "")).toList());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeDurably(target, out -> {
            out.write(new byte[] {9, 9});
            throw new IllegalStateException("serializer failed");
        }));
        assertEquals(List.of(target), Files.list(root).toList(), "no temporary file left behind");
        assertEquals(3, Files.size(target));
    }
}
