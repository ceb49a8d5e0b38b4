package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.testkit.MemoryRunWriter;

class SpiralTrainingTest {
    @TempDir
    Path dir;

    /** Stops as soon as train_acc passes 0.9 (a monitor sees every record), so the test lasts only as long as it must. */
    @Test
    void spiral_mlp_with_sgd_lr_1_on_the_full_batch_reaches_90_percent_train_accuracy_within_2000_iterations() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1.0), 300, 2000, 7);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        AtomicLong reachedAt = new AtomicLong(-1);
        RunMonitor watch = (step, tags, values, writer) -> {
            for (int i = 0; i < tags.length; i++)
                if (tags[i].equals("train_acc") && values[i] > 0.9 && reachedAt.get() < 0) reachedAt.set(step);
        };

        TrainOutcome outcome = Trainer.train(cfg, Fixtures.spiral(100, 7), out, ProgressObserver.NONE,
                () -> reachedAt.get() >= 0, List.of(watch));

        assertTrue(reachedAt.get() >= 0 && reachedAt.get() < 2000, "train_acc > 0.9 first at step " + reachedAt.get());
        assertTrue(outcome.status() == RunStatus.STOPPED || outcome.status() == RunStatus.FINISHED, outcome.toString());
        double best = out.series("train_acc").stream().mapToDouble(p -> p[1]).max().orElseThrow();
        assertTrue(best > 0.9, "best recorded train_acc " + best);
        assertEquals(RunStatus.RUNNING, out.statuses.get(0).status());
        assertTrue(Files.exists(out.checkpointDir().resolve("final.zip")));
    }

    @Test
    void initial_loss_on_spiral_is_within_0_2_of_ln_3_and_the_sanity_check_says_so() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1.0), 300, 1, 11);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        Fixtures.trainOnSpiral(cfg, 100, out);

        double loss0 = out.value(0, "loss");
        assertEquals(Math.log(3), loss0, 0.2, "step 0 loss");
        assertEquals("pass", out.check("initial_loss").outcome(), out.check("initial_loss").summary());
        assertTrue(out.check("initial_loss").detailsJson().contains(Double.toString(Math.log(3))));
    }

    @Test
    void every_step_is_one_record_with_the_per_iteration_tags_and_validation_at_the_end() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(16, 8), Fixtures.opt("adam", 0.01), 100, 2, 3);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        Fixtures.trainOnSpiral(cfg, 50, out);

        assertEquals(4, out.scalars.size(), "150 points, batch 100, 2 epochs");
        Scalars first = out.scalars.get(0);
        assertEquals(0, first.step());
        assertEquals(List.of("loss", "train_acc", "lr/dense1", "lr/dense2", "lr/output",
                "update_ratio/dense1", "update_ratio/dense2", "update_ratio/output", "examples_per_sec"), List.of(first.tags()));
        assertNotNull(out.value(3, "val_loss"), "evaluated at the last step");
        assertTrue(out.filters.isEmpty(), "no filters for 2-D input");
        assertTrue(out.flushes >= 4);
    }
}
