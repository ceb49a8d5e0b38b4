package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

class TrainerLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void a_stop_request_ends_the_run_stopped_after_the_current_step_with_a_checkpoint() throws Exception {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("momentum", 0.1), 50, 100, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        AtomicLong steps = new AtomicLong();

        TrainOutcome outcome = Trainer.train(cfg, Fixtures.spiral(50, 2), out,
                (step, total, epoch, loss, acc, eps) -> steps.incrementAndGet(), () -> steps.get() >= 5);

        assertEquals(RunStatus.STOPPED, outcome.status());
        assertEquals(5, out.scalars.size());
        assertEquals(List.of(RunStatus.RUNNING, RunStatus.STOPPED), out.statuses.stream().map(s -> s.status()).toList());
        Path checkpoint = out.checkpointDir().resolve("final.zip");
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(checkpoint.toFile(), true);
        assertTrue(restored.getLayerWiseConfigurations().getConf(0).getLayer().toString().contains("ClassicMomentum"),
                "the custom momentum updater survives save/load");
        assertTrue(restored.getUpdater().getStateViewArray().norm2Number().doubleValue() > 0, "with its velocity state");
    }

    @Test
    void checkpoints_are_written_each_epoch_and_at_the_end() throws Exception {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("adam", 0.01), 50, 3, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainingSession session = new TrainingSession(cfg, Fixtures.spiral(50, 2), out, ProgressObserver.NONE, () -> false, List.of());
        session.minCheckpointGapNanos = 0;

        assertEquals(RunStatus.FINISHED, session.run().status());

        try (var files = Files.list(out.checkpointDir())) {
            assertEquals(List.of("epoch-0001.zip", "epoch-0002.zip", "epoch-0003.zip", "final.zip"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** The lab's L-BFGS (trainwatch.lab.LbfgsFitter) runs in place of DL4J's fit and records like any other run. */
    @Test
    void lbfgs_runs_full_batch_through_the_labs_fitter_and_records_like_any_run() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(20), Fixtures.opt("lbfgs", 1), 150, 30, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        TrainOutcome outcome = Fixtures.trainOnSpiral(cfg, 50, out);

        assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        assertEquals(30, out.scalars.size());
        assertTrue(out.value(29, "loss") < out.value(0, "loss") - 0.2, out.value(0, "loss") + " -> " + out.value(29, "loss"));
        assertTrue(out.value(5, "update_ratio/dense1") > 0);
    }

    @Test
    void lbfgs_with_minibatches_ends_the_run_failed_with_a_reason_naming_the_batch_size() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("lbfgs", 1), 50, 1, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);

        TrainOutcome outcome = Fixtures.trainOnSpiral(cfg, 50, out);

        assertEquals(RunStatus.FAILED, outcome.status());
        assertTrue(outcome.reason().contains("lbfgs needs the full batch") && outcome.reason().contains("got 50"), outcome.reason());
        assertEquals(RunStatus.FAILED, out.finalStatus());
        assertTrue(out.scalars.isEmpty());
    }

    @Test
    void an_exception_ends_the_run_failed_with_the_exception_as_reason() {
        RunConfig cfg = Fixtures.cnn(Fixtures.opt("sgd", 0.1), 50, 1, 2); // a cnn on 2-D points
        MemoryRunWriter out = new MemoryRunWriter(dir);

        TrainOutcome outcome = Fixtures.trainOnSpiral(cfg, 50, out);

        assertEquals(RunStatus.FAILED, outcome.status());
        assertTrue(outcome.reason().contains("cnn needs image data"), outcome.reason());
        assertEquals(List.of(RunStatus.RUNNING, RunStatus.FAILED), out.statuses.stream().map(s -> s.status()).toList());
    }

    @Test
    void monitors_see_every_scalars_record_and_may_write_alerts() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("sgd", 0.5), 50, 2, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        List<Long> seen = new ArrayList<>();
        RunMonitor monitor = (step, tags, values, writer) -> {
            seen.add(step);
            if (step == 4) writer.alert(step, "test", "loss", "seen step 4", "");
        };

        Trainer.train(cfg, Fixtures.spiral(50, 2), out, ProgressObserver.NONE, () -> false, List.of(monitor));

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), seen);
        assertEquals(1, out.alerts.size());
        assertEquals(4, out.alerts.get(0).step());
    }

    @Test
    void a_monitor_that_throws_is_switched_off_and_the_run_goes_on() {
        RunConfig cfg = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("sgd", 0.5), 50, 2, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        List<Long> seen = new ArrayList<>();
        RunMonitor broken = (step, tags, values, writer) -> {
            throw new IllegalStateException("rule bug");
        };
        RunMonitor counting = (step, tags, values, writer) -> seen.add(step);

        TrainOutcome outcome = Trainer.train(cfg, Fixtures.spiral(50, 2), out, ProgressObserver.NONE, () -> false, List.of(broken, counting));

        assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        assertEquals(6, seen.size());
    }
}
