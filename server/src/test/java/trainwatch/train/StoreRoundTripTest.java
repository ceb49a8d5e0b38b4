package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.Series;

/** The trainer writing through the real run store, read back the way the server reads it. */
class StoreRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void a_diverged_run_reads_back_from_the_store_with_its_nan_loss_counted_as_non_finite_and_the_reason() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1e9), 300, 200, 7);
        RunStore store = new RunStore(dir, Clock.systemUTC());
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        TrainOutcome outcome;
        try (RunWriter out = store.openWriter(id)) {
            outcome = Trainer.train(cfg, Fixtures.spiral(100, 7), out, ProgressObserver.NONE, () -> false);
        }
        assertEquals(RunStatus.DIVERGED, outcome.status());

        try (RunReader reader = store.reader(id)) {
            assertEquals(RunStatus.DIVERGED, reader.state().status());
            assertEquals(outcome.reason(), reader.state().reason());
            Series loss = reader.series("loss", 1000, Long.MIN_VALUE, Long.MAX_VALUE);
            int last = loss.step().length - 1;
            assertEquals(outcome.iterations() - 1, loss.step()[last]);
            assertTrue(Double.isNaN(loss.last()[last]) || Double.isInfinite(loss.last()[last]), "stored as " + loss.last()[last]);
            assertEquals(1, loss.nonfinite()[last]);
            assertEquals("nonfinite", reader.alerts().get(0).kind());
            assertTrue(reader.checks().stream().anyMatch(c -> c.check().equals("initial_loss")));
        }
    }

    @Test
    void a_shapes_run_stores_every_step_filters_and_a_checkpoint() throws Exception {
        RunConfig cfg = new RunConfig("s", "shapes", Fixtures.cnn(Fixtures.opt("adam", 0.001), 32, 1, 3).model(),
                Fixtures.opt("adam", 0.001), Fixtures.constant(), 1e-4, 0.1, 32, 1, 3, 0, 0, 5, 5, 12);
        RunStore store = new RunStore(dir, Clock.systemUTC());
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        Path checkpoints;
        try (RunWriter out = store.openWriter(id)) {
            checkpoints = out.checkpointDir();
            assertEquals(RunStatus.FINISHED, Trainer.train(cfg, Fixtures.shapes(640, 100, 3), out, ProgressObserver.NONE, () -> false).status());
        }

        try (RunReader reader = store.reader(id)) {
            assertEquals(12, reader.series("loss", 1000, Long.MIN_VALUE, Long.MAX_VALUE).total());
            assertEquals(12, reader.series("update_ratio/conv1", 1000, Long.MIN_VALUE, Long.MAX_VALUE).total());
            assertEquals(3, reader.series("val_acc", 1000, Long.MIN_VALUE, Long.MAX_VALUE).total(), "steps 4, 9 and the last");
            assertTrue(reader.tags().containsAll(List.of("reg_loss", "train_acc", "lr/conv1", "lr/dense1", "lr/output", "examples_per_sec")));
            assertEquals(List.of(0L, 5L, 10L), reader.filterSteps());
            assertArrayEquals(new int[] {8, 1, 5, 5}, reader.filters(5L).shape());
            Scalars latest = reader.latest();
            assertTrue(latest.value("loss") > 0);
        }
        assertTrue(Files.exists(checkpoints.resolve("final.zip")));
    }
}
