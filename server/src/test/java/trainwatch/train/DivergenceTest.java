package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.Alert;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.testkit.MemoryRunWriter;

/**
 * Found by trying rates on seeded spiral runs: sgd at lr 1e9 really overflows
 * (float weights reach Inf, then the loss is NaN at step 3), whereas lr 1e6
 * only kills every ReLU and the clipped loss saturates at 15.35 (DL4J's MCXENT clips probabilities near 1e-10).
 */
class DivergenceTest {
    @TempDir
    Path dir;

    @Test
    void an_overflowing_run_records_its_non_finite_values_as_they_are_and_ends_diverged_with_the_reason() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1e9), 300, 200, 7);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        TrainOutcome outcome = Fixtures.trainOnSpiral(cfg, 100, out);

        assertEquals(RunStatus.DIVERGED, outcome.status());
        assertEquals(RunStatus.DIVERGED, out.finalStatus());
        Scalars last = out.scalars.get(out.scalars.size() - 1);
        assertTrue(last.step() < 199, "stopped early, at step " + last.step());
        int nonFinite = 0;
        for (int i = 0; i < last.tags().length; i++) {
            double v = last.values()[i];
            assertFalse(v == 0.0 && (last.tags()[i].equals("loss") || last.tags()[i].startsWith("update_ratio/")),
                    last.tags()[i] + " recorded as 0");
            if (!Double.isFinite(v)) nonFinite++;
        }
        assertTrue(Double.isNaN(last.value("loss")) || Double.isInfinite(last.value("loss")), "loss " + last.value("loss"));
        assertTrue(nonFinite >= 2, "non-finite values in " + last);
        String reason = out.statuses.get(out.statuses.size() - 1).reason();
        assertTrue(reason.contains("step " + last.step()) && (reason.contains("NaN") || reason.contains("Infinity")), reason);
        Alert alert = out.alerts.get(0);
        assertEquals("nonfinite", alert.kind());
        assertEquals(last.step(), alert.step());
        for (Scalars s : out.scalars.subList(0, out.scalars.size() - 1))
            assertTrue(Double.isFinite(s.value("loss")), "finite before the blow-up: " + s);
    }

    @Test
    void a_huge_rate_that_only_kills_the_relus_is_not_called_diverged() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1e6), 300, 30, 7);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        TrainOutcome outcome = Fixtures.trainOnSpiral(cfg, 100, out);

        assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        assertTrue(out.alerts.isEmpty());
        assertTrue(out.value(29, "loss") > 10, "saturated loss " + out.value(29, "loss"));
    }
}
