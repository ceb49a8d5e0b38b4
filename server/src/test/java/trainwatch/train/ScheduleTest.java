package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

/**
 * The lr the network actually used at chosen steps, read back from the
 * recorded lr/<layer> tags. Spiral 150 points in batches of 50: 3 iterations
 * per epoch, so epoch e covers steps 3e..3e+2.
 */
class ScheduleTest {
    static final double LR0 = 0.1;

    @TempDir
    Path dir;

    @Test
    void constant_keeps_the_initial_rate() {
        MemoryRunWriter out = run(new ScheduleConfig("constant", 0, 0, "iteration", 0, 0, 0, 0), 0.1);
        for (int step : new int[] {0, 4, 11}) assertLr(out, step, LR0);
    }

    @Test
    void step_per_iteration_halves_every_3_iterations() {
        MemoryRunWriter out = run(new ScheduleConfig("step", 0.5, 3, "iteration", 0, 0, 0, 0), 0.1);
        assertLr(out, 0, 0.1);
        assertLr(out, 2, 0.1);
        assertLr(out, 3, 0.05);
        assertLr(out, 6, 0.025);
        assertLr(out, 11, 0.0125);
    }

    @Test
    void step_per_epoch_halves_every_2_epochs() {
        MemoryRunWriter out = run(new ScheduleConfig("step", 0.5, 2, "epoch", 0, 0, 0, 0), 0.1);
        assertLr(out, 0, 0.1);
        assertLr(out, 5, 0.1);   // epoch 1
        assertLr(out, 6, 0.05);  // epoch 2
        assertLr(out, 11, 0.05); // epoch 3
    }

    @Test
    void exponential_per_iteration_is_lr0_times_gamma_to_the_t() {
        MemoryRunWriter out = run(new ScheduleConfig("exponential", 0, 0, "iteration", 0.9, 0, 0, 0), 0.1);
        for (int t : new int[] {0, 1, 5, 11}) assertLr(out, t, LR0 * Math.pow(0.9, t));
    }

    @Test
    void exponential_per_epoch_moves_once_per_epoch() {
        MemoryRunWriter out = run(new ScheduleConfig("exponential", 0, 0, "epoch", 0.5, 0, 0, 0), 0.1);
        for (int step : new int[] {0, 2, 3, 8, 9, 11}) assertLr(out, step, LR0 * Math.pow(0.5, step / 3));
    }

    @Test
    void inverse_per_iteration_is_lr0_over_one_plus_gamma_t_to_the_power() {
        MemoryRunWriter out = run(new ScheduleConfig("inverse", 0, 0, "iteration", 0.5, 0.75, 0, 0), 0.1);
        for (int t : new int[] {0, 1, 4, 11}) assertLr(out, t, LR0 / Math.pow(1 + 0.5 * t, 0.75));
    }

    @Test
    void inverse_per_epoch_moves_once_per_epoch() {
        MemoryRunWriter out = run(new ScheduleConfig("inverse", 0, 0, "epoch", 1.0, 1.0, 0, 0), 0.1);
        for (int step : new int[] {0, 2, 3, 7, 11}) assertLr(out, step, LR0 / (1 + step / 3));
    }

    /**
     * With a rate too small to move float weights (1e-20), val_loss never
     * improves after the first evaluation: with patience 2 and an evaluation
     * every step, the rate drops after the evaluations of steps 2, 4, 6, ...
     * (each used from the next step on), and never below minLr.
     */
    @Test
    void plateau_decays_only_after_patience_evaluations_without_improvement_and_stops_at_min_lr() {
        MemoryRunWriter out = run(new ScheduleConfig("plateau", 0.1, 0, "iteration", 0, 0, 2, 1e-22), 1e-20);
        assertLr(out, 0, 1e-20);
        assertLr(out, 2, 1e-20);
        assertLr(out, 3, 1e-21);
        assertLr(out, 4, 1e-21);
        assertLr(out, 5, 1e-22);
        assertLr(out, 7, 1e-22);
        assertLr(out, 11, 1e-22);
    }

    @Test
    void plateau_policy_counts_evaluations_since_the_best_and_resets_on_improvement() {
        PlateauPolicy p = new PlateauPolicy(1.0, 0.5, 3, 0.01);
        assertEquals(1.0, p.onEvaluation(2.0));
        assertEquals(1.0, p.onEvaluation(2.1));   // 1 without improvement
        assertEquals(1.0, p.onEvaluation(2.2));   // 2
        assertEquals(1.0, p.onEvaluation(1.5));   // new best: count restarts
        assertEquals(1.0, p.onEvaluation(1.6));
        assertEquals(1.0, p.onEvaluation(Double.NaN)); // NaN is no improvement
        assertEquals(0.5, p.onEvaluation(1.5));   // 3rd without improvement (equal is not better)
        assertEquals(0.5, p.onEvaluation(1.7));
    }

    private MemoryRunWriter run(ScheduleConfig schedule, double lr) {
        RunConfig cfg = new RunConfig("sched", "spiral", new ModelConfig("mlp", List.of(8), 0, 0),
                Fixtures.opt("sgd", lr), schedule, 0, 0, 50, 4, 1, 0, 0, 1, 25, 0);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainOutcome outcome = Trainer.train(cfg, Fixtures.spiral(50, 1), out, ProgressObserver.NONE, () -> false);
        assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        assertEquals(12, out.scalars.size());
        return out;
    }

    private static void assertLr(MemoryRunWriter out, int step, double expected) {
        for (String layer : List.of("dense1", "output"))
            assertEquals(expected, out.value(step, "lr/" + layer), expected * 1e-9, "lr/" + layer + " at step " + step);
    }
}
