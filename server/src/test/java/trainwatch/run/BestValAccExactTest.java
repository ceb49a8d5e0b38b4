package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.event.Tags;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/** best_val_acc and its step are exact on a run with more points than any downsampled answer holds. */
class BestValAccExactTest {
    @TempDir
    Path root;

    @Test
    void the_best_step_is_exact_on_a_run_of_250000_steps_where_2_5_steps_share_each_of_100000_buckets() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("long", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("long")) {
            for (long s = 0; s < 250_000; s++) {
                double v = s == 77_777 || s == 160_001 ? 0.95 : s % 999 == 0 ? Double.NaN : s % 1_001 == 0 ? Double.POSITIVE_INFINITY : 0.5;
                w.scalars(s, new String[] {Tags.VAL_ACC}, new double[] {v});
            }
        }
        try (RunReader r = store.reader("long")) {
            BestValAcc.Best b = BestValAcc.of("long", r);
            assertEquals(0.95, b.value());
            assertEquals(77_777L, b.step(), "the first step with the highest finite value, not a bucket's last step");
        } finally {
            BestValAcc.forget("long");
        }
    }
}
