package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.Alert;
import trainwatch.event.AlertSeverity;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

/** stopOnDivergence: N evaluations in a row with an exploded loss end the run diverged; off by default. */
class DivergenceStopTest {
    @TempDir
    Path dir;

    /** sgd lr 1e6 on the spiral: the loss saturates near 15 (5x its start) and stays there, finite. */
    private static RunConfig saturating(int stopOnDivergence) {
        RunConfig b = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1e6), 300, 60, 7);
        return new RunConfig(b.name(), b.dataset(), b.model(), b.optimizer(), b.schedule(), 0, 0, 300, 60, 7, 0, 0,
                5, 25, 0, stopOnDivergence);
    }

    @Test
    void a_loss_that_stays_exploded_for_three_evaluations_ends_the_run_diverged_with_a_critical_alert() {
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainOutcome o = Fixtures.trainOnSpiral(saturating(3), 100, out);
        assertEquals(RunStatus.DIVERGED, o.status(), o.reason());
        assertEquals(RunStatus.DIVERGED, out.finalStatus());
        assertTrue(o.reason().contains("3 evaluations in a row") && o.reason().contains("stopOnDivergence"), o.reason());
        long last = out.scalars.get(out.scalars.size() - 1).step();
        assertTrue(last < 59, "stopped before the 60 epochs ran out: " + last);
        assertEquals(0, (last + 1) % 5, "stops at an evaluation step (evalEvery 5): " + last);
        Alert a = out.alerts.get(out.alerts.size() - 1);
        assertEquals("diverged", a.kind());
        assertEquals(AlertSeverity.CRITICAL, a.severity());
        assertEquals(last, a.step());
    }

    @Test
    void without_the_key_the_same_run_goes_on_to_the_end() {
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainOutcome o = Fixtures.trainOnSpiral(saturating(0), 100, out);
        assertEquals(RunStatus.FINISHED, o.status(), o.reason());
        assertEquals(60, out.scalars.size());
    }

    @Test
    void an_evaluation_back_under_the_limit_restarts_the_count() {
        DivergenceStop stop = new DivergenceStop(2);
        assertNull(stop.onStep(1.0, false));
        for (int i = 0; i < 30; i++) assertNull(stop.onStep(10.0, false), "no verdict between evaluations");
        assertNull(stop.onStep(10.0, true), "one exploded evaluation");
        for (int i = 0; i < 60; i++) stop.onStep(1.0, false);
        assertNull(stop.onStep(1.0, true), "recovered: the count starts again");
        for (int i = 0; i < 30; i++) stop.onStep(10.0, false);
        assertNull(stop.onStep(10.0, true));
        assertTrue(stop.onStep(10.0, true).contains("2 evaluations in a row"));
        assertNull(new DivergenceStop(0).onStep(1e9, true), "0 = off");
    }
}
