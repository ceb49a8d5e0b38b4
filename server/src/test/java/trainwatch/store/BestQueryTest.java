package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;

/** RunReader.best: exact first step of the extreme, from summaries plus one raw block, over runs of any length. */
class BestQueryTest {
    private static final long STEPS = 250_000; // 61 groups of 4096 steps, more points than any downsampled answer
    private static final long FIRST_MAX = 77_777;
    private static final long FIRST_MIN = 123_457;

    @TempDir
    Path root;

    /** Values below 0.9 except a 0.95 at FIRST_MAX and again later; NaN and +-Infinity sprinkled in (never best). */
    static double acc(long s) {
        if (s == FIRST_MAX || s == 200_003 || s == STEPS - 5) return 0.95;
        if (s == FIRST_MIN || s == 190_001) return 0.01;
        if (s % 1_001 == 0) return Double.NaN;
        if (s % 2_003 == 0) return Double.POSITIVE_INFINITY;
        if (s % 2_005 == 0) return Double.NEGATIVE_INFINITY;
        return 0.5 + 0.3 * Math.sin(s * 0.001) * 0.99;
    }

    @Test
    void best_is_the_first_step_of_the_highest_finite_value_in_a_run_of_many_groups_and_also_while_it_is_written() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("b", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("b"); RunReader live = store.reader("b")) {
            for (long s = 0; s < STEPS; s++) {
                w.scalars(s, new String[] {"loss", "val_acc"}, new double[] {1, acc(s)});
                if (s == 100_000 || s == 200_100) {
                    w.flush();
                    // the maximum lies in sealed groups, in the open group or in the raw tail depending on where writing is
                    assertEquals(new Best(0.95, FIRST_MAX), live.best("val_acc", Goal.MAX), "live at step " + s);
                }
            }
            w.flush();
            assertEquals(new Best(0.95, FIRST_MAX), live.best("val_acc", Goal.MAX));
        }
        try (RunReader r = store.reader("b")) {
            assertEquals(new Best(0.95, FIRST_MAX), r.best("val_acc", Goal.MAX));
            assertEquals(new Best(0.01, FIRST_MIN), r.best("val_acc", Goal.MIN));
            assertEquals(bruteForce(Goal.MAX), r.best("val_acc", Goal.MAX));
            assertEquals(new Best(1, 0), r.best("loss", Goal.MAX), "ties everywhere: the first step wins");
            assertNull(r.best("nope", Goal.MAX));
        }
    }

    private static Best bruteForce(Goal g) {
        Best b = null;
        for (long s = 0; s < STEPS; s++) {
            double v = acc(s);
            if (Double.isFinite(v) && (b == null || g.beats(v, b.value()))) b = new Best(v, s);
        }
        return b;
    }

    @Test
    void a_tag_with_no_finite_value_has_no_best() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("n", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("n")) {
            for (long s = 0; s < 10_000; s++)
                w.scalars(s, new String[] {"val_acc"}, new double[] {s % 3 == 0 ? Double.NaN : s % 3 == 1 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY});
        }
        try (RunReader r = store.reader("n")) {
            assertEquals(10_000, r.series("val_acc", 10, 0, Long.MAX_VALUE).total());
            assertNull(r.best("val_acc", Goal.MAX));
            assertNull(r.best("val_acc", Goal.MIN));
        }
    }
}
