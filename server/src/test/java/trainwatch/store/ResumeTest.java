package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.Alert;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;

/** openForResume: steps after the checkpoint are superseded, one value per step, seq never reused. */
class ResumeTest {
    @TempDir
    Path root;

    static double first(long s) {
        return s == 700 ? 99 : 1.0 / (s + 1);
    }

    static double second(long s) {
        return -s;
    }

    /** Session 1 wrote 0..last1 (with alerts and filters), session 2 resumed after kept and wrote to last2. */
    private long[] write(RunStore store, String id, long last1, long kept, long last2) {
        store.create(id, "{}", RunStatus.QUEUED, "");
        long maxSeq1;
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (long s = 0; s <= last1; s++) {
                w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {first(s), first(s)});
                if (s % 250 == 0) w.alert(s, "plateau", "loss", "at " + s, "");
                if (s % (last1 > 5_000 ? 1_000 : 100) == 0) w.filters(s, new int[] {1, 1, 1, 1}, new float[] {s});
            }
            maxSeq1 = w.status(RunStatus.INTERRUPTED, "killed");
        }
        long firstSeq2;
        try (RunWriter w = store.openForResume(id, kept)) {
            var refused = assertThrows(IllegalArgumentException.class, () -> w.scalars(kept, new String[] {"loss"}, new double[] {0}));
            assertTrue(refused.getMessage().contains("must not decrease"), refused.getMessage());
        }
        try (RunWriter w = store.openWriter(id)) { // a reopen before any new scalars still refuses the kept steps
            var refused = assertThrows(IllegalArgumentException.class, () -> w.scalars(kept, new String[] {"loss"}, new double[] {0}));
            assertTrue(refused.getMessage().contains("resuming from step " + (kept + 1)), refused.getMessage());
            firstSeq2 = w.scalars(kept + 1, new String[] {"loss", "val_acc"}, new double[] {second(kept + 1), second(kept + 1)});
            for (long s = kept + 2; s <= last2; s++) w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {second(s), second(s)});
        }
        return new long[] {maxSeq1, firstSeq2};
    }

    @Test
    void a_run_resumed_after_step_599_shows_steps_0_to_799_once_each_with_the_new_values_and_seq_keeps_increasing() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        RunReader before = null;
        long[] seqs;
        seqs = write(store, "r", 999, 599, 799);
        assertTrue(seqs[1] > seqs[0], "seq continues above session 1's highest: " + seqs[1] + " vs " + seqs[0]);
        assertResumed(store, "r", 599, 799, "fresh reader");

        // a reader that followed the whole first session sees the cut and the new records: the log was rewritten under it
        // and grew past where the reader had stopped (so only the changed bytes at its last record tell)
        store.create("live", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("live")) {
            for (long s = 0; s <= 999; s++) w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {first(s), first(s)});
        }
        before = store.reader("live");
        assertEquals(1000, before.series("loss", 100_000, 0, Long.MAX_VALUE).total());
        try (RunWriter w = store.openForResume("live", 599)) {
            for (long s = 600; s <= 1_499; s++) w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {second(s), second(s)});
        }
        assertResumed(before, 599, 1_499, "reader opened before the resume");
        before.close();

        // reopening and repairing leave it as it is; appending continues
        assertEquals(List.of(), store.repair("r"));
        assertResumed(store, "r", 599, 799, "after repair");
        try (RunWriter w = store.openWriter("r")) {
            w.scalars(800, new String[] {"loss", "val_acc"}, new double[] {second(800), second(800)});
        }
        assertResumed(store, "r", 599, 800, "after another session");
    }

    @Test
    void a_long_run_resumed_across_group_boundaries_rebuilds_its_summaries() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        write(store, "g", 20_000, 9_000, 15_000);
        assertResumed(store, "g", 9_000, 15_000, "long run");
    }

    private static void assertResumed(RunStore store, String id, long kept, long last, String what) {
        try (RunReader r = store.reader(id)) {
            assertResumed(r, kept, last, what);
        }
    }

    private static void assertResumed(RunReader r, long kept, long last, String what) {
        TailBatch b = r.readFrom(0, 1_000_000);
        assertEquals(List.of(), b.problems(), what);
        List<BruteForce.Point> loss = new ArrayList<>();
        long prevSeq = 0, step = 0;
        for (RunEvent e : b.events()) {
            assertTrue(e.seq() > prevSeq, what + ": seq strictly increasing");
            prevSeq = e.seq();
            if (e instanceof Alert a) assertTrue(a.step() <= kept, what + ": superseded alert at " + a.step());
            if (!(e instanceof Scalars s)) continue;
            assertEquals(step, s.step(), what + ": every step once, in order");
            double want = step <= kept ? first(step) : second(step);
            assertEquals(want, s.value("loss"), what + ": value at " + step);
            loss.add(new BruteForce.Point(step, want));
            step++;
        }
        assertEquals(last + 1, step, what);
        assertEquals(List.of(kept + 1), r.resumes().stream().map(Resumed::fromStep).toList(), what);
        assertTrue(r.resumes().get(0).seq() > 0 && r.lastSeq() >= r.resumes().get(0).seq(), what);
        for (int points : new int[] {1, 37, 1000, 1_000_000})
            BruteForce.assertSame(BruteForce.series("loss", loss, points, 0, Long.MAX_VALUE), r.series("loss", points, 0, Long.MAX_VALUE),
                    what + ", points=" + points);
        BruteForce.assertSame(BruteForce.series("loss", loss, 10, kept - 50, kept + 50), r.series("loss", 10, kept - 50, kept + 50),
                what + ", around the resume");
        Best max = null, min = null;
        for (BruteForce.Point p : loss) {
            if (max == null || p.value() > max.value()) max = new Best(p.value(), p.step());
            if (min == null || p.value() < min.value()) min = new Best(p.value(), p.step());
        }
        if (kept < 700) assertEquals(new Best(first(0), 0), max, what + ": session 1's 99 at step 700 was superseded");
        assertEquals(max, r.best("val_acc", Goal.MAX), what);
        assertEquals(min, r.best("val_acc", Goal.MIN), what);
        assertEquals(last, r.latestStep("loss"), what);
        assertEquals(second(last), r.latest().value("loss"), what);
        assertTrue(r.filterSteps().stream().allMatch(s -> s <= kept), what + ": superseded filter snapshots deleted " + r.filterSteps());
    }
}
