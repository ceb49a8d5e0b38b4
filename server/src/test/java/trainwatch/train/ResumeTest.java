package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.DiskSpace;
import trainwatch.testkit.MemoryRunWriter;

/**
 * Issue 16 point 11: a run resumed from a checkpoint (weights, Adam's state, iteration and epoch counts, the data
 * order, the ND4J RNG) ends with the same weights as an uninterrupted run with the same seed.
 */
class ResumeTest {
    static final int PER_CLASS = 50; // 150 examples, batch 40: 4 batches per epoch, the last one short

    @TempDir
    Path tmp;

    static RunConfig config(double dropout) {
        RunConfig b = Fixtures.mlp("spiral", List.of(16), Fixtures.opt("adam", 0.02), 40, 6, 11);
        return new RunConfig(b.name(), b.dataset(), b.model(), b.optimizer(), b.schedule(), 1e-3, dropout, b.batchSize(), b.epochs(),
                b.seed(), b.trainSize(), b.valSize(), 5, b.filtersEvery(), b.maxIterations(), 0, 3);
    }

    @Test
    void a_run_resumed_from_an_epoch_checkpoint_ends_with_the_uninterrupted_runs_weights() throws Exception {
        assertResumedMatches(config(0.0), 10, false);
    }

    @Test
    void with_dropout_the_rng_is_restored_too() throws Exception {
        assertResumedMatches(config(0.2), 10, false);
    }

    @Test
    void a_run_stopped_mid_epoch_resumes_from_its_final_checkpoint() throws Exception {
        assertResumedMatches(config(0.0), 10, true);
    }

    /** Crash (or stop) before step {@code at}, resume from the newest checkpoint, compare with an uninterrupted run. */
    void assertResumedMatches(RunConfig cfg, long at, boolean stop) throws Exception {
        Dataset data = Fixtures.spiral(PER_CLASS, cfg.seed());
        MemoryRunWriter whole = new MemoryRunWriter(tmp.resolve("whole"));
        session(cfg, data, whole, () -> false, null).run();

        MemoryRunWriter broken = new MemoryRunWriter(tmp.resolve("broken"));
        long[] steps = {0};
        TrainingSession first = session(cfg, data, broken, () -> {
            if (steps[0]++ < at) return false;
            if (stop) return true;
            throw new IllegalStateException("simulated crash"); // no final checkpoint, no final status
        }, null);
        if (stop) assertEquals(RunStatus.STOPPED, first.run().status());
        else assertThrows(IllegalStateException.class, first::run);

        ResumePoint from = ResumePoint.newest(broken.checkpointDir()).orElseThrow();
        assertEquals(stop ? at : 8, from.step(), "resumes from " + from.name());
        MemoryRunWriter resumed = new MemoryRunWriter(tmp.resolve("broken"));
        assertEquals(RunStatus.FINISHED, session(cfg, data, resumed, () -> false, from).run().status());

        assertEquals(from.step(), resumed.scalars.get(0).step(), "steps continue at the checkpoint's step");
        List<Scalars> tail = whole.scalars.subList((int) from.step(), whole.scalars.size());
        assertEquals(tail.size(), resumed.scalars.size());
        for (int i = 0; i < tail.size(); i++)
            assertEquals(tail.get(i).value("loss"), resumed.scalars.get(i).value("loss"), 1e-6, "loss at step " + tail.get(i).step());
        double[] a = params(whole.checkpointDir().resolve("final.zip"));
        double[] b = params(resumed.checkpointDir().resolve("final.zip"));
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst <= 1e-6, "largest weight difference " + worst);
    }

    private static TrainingSession session(RunConfig cfg, Dataset data, MemoryRunWriter out, java.util.function.BooleanSupplier stop,
                                           ResumePoint from) throws Exception {
        TrainingSession s = new TrainingSession(cfg, data, out, ProgressObserver.NONE, stop, List.of(), from, DiskSpace.SYSTEM);
        s.minCheckpointGapNanos = 0;
        return s;
    }

    private static double[] params(Path zip) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        return net.params().dup().data().asDouble();
    }
}
