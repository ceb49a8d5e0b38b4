package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.data.Dataset;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

class ImageTrainingTest {
    static final double LN10 = Math.log(10);

    @TempDir
    Path dir;

    @Test
    void initial_loss_of_the_shapes_cnn_is_within_0_25_of_ln_10() {
        MemoryRunWriter out = firstSteps(Fixtures.cnn(Fixtures.opt("adam", 0.001), 64, 1, 42), Fixtures.shapes(128, 64, 42));
        assertEquals(LN10, out.value(0, "loss"), 0.25);
        assertEquals("pass", out.check("initial_loss").outcome(), out.check("initial_loss").summary());
    }

    @Test
    void initial_loss_of_an_mlp_and_a_cnn_on_an_mnist_shaped_idx_fixture_is_within_0_25_of_ln_10() throws Exception {
        Dataset mnist = Fixtures.mnist(dir.resolve("data"), 128, 64, 9);
        RunConfig mlp = Fixtures.mlp("mnist", List.of(100), Fixtures.opt("sgd", 0.1), 64, 1, 9);
        assertEquals(LN10, firstSteps(mlp, mnist).value(0, "loss"), 0.25, "mlp");
        RunConfig cnn = Fixtures.cnn(Fixtures.opt("sgd", 0.1), 64, 1, 9);
        assertEquals(LN10, firstSteps(cnn, mnist).value(0, "loss"), 0.25, "cnn");
    }

    @Test
    void with_l2_the_loss_includes_reg_loss_and_the_sanity_check_says_reg_raises_the_loss() {
        RunConfig base = Fixtures.cnn(Fixtures.opt("adam", 0.001), 64, 1, 42);
        RunConfig cfg = new RunConfig(base.name(), base.dataset(), base.model(), base.optimizer(), base.schedule(),
                0.01, 0.2, 64, 1, 42, 0, 0, 50, 25, 2);
        MemoryRunWriter out = firstSteps(cfg, Fixtures.shapes(128, 64, 42));
        double reg = out.value(0, "reg_loss");
        assertTrue(reg > 0, "reg_loss " + reg);
        assertEquals(LN10 + reg, out.value(0, "loss"), 0.25);
        assertEquals("pass", out.check("reg_raises_loss").outcome(), out.check("reg_raises_loss").summary());
        assertEquals("pass", out.check("initial_loss").outcome(), out.check("initial_loss").summary());
    }

    @Test
    void conv_filters_are_recorded_as_nout_nin_kh_kw_at_step_0_and_every_filters_every_steps() {
        Dataset data = Fixtures.shapes(640, 64, 1);
        RunConfig base = Fixtures.cnn(Fixtures.opt("adam", 0.001), 64, 1, 1);
        RunConfig cfg = new RunConfig("f", "shapes", base.model(), base.optimizer(), base.schedule(),
                0, 0, 64, 1, 1, 0, 0, 50, 4, 0);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        Trainer.train(cfg, data, out, ProgressObserver.NONE, () -> false);
        assertEquals(List.of(0L, 4L, 8L), out.filters.stream().map(FilterSnapshot::step).toList());
        assertArrayEquals(new int[] {8, 1, 5, 5}, out.filters.get(0).shape());
        assertTrue(!java.util.Arrays.equals(out.filters.get(0).data(), out.filters.get(2).data()), "weights move");
    }

    @Test
    void an_mlp_on_images_records_its_first_layer_transposed_to_hidden_by_image() throws Exception {
        Dataset data = Fixtures.mnist(dir.resolve("data"), 64, 16, 3);
        RunConfig cfg = Fixtures.mlp("mnist", List.of(7), Fixtures.opt("sgd", 0.1), 64, 1, 3);
        MultiLayerNetwork net = Models.build(cfg, data);
        assertArrayEquals(new int[] {7, 1, 28, 28}, FirstLayerWeights.shape(net, data.exampleShape()));
        float[] image = FirstLayerWeights.data(net);
        INDArray w = net.getLayer(0).getParam("W"); // [784][7]
        for (int unit : new int[] {0, 3, 6})
            for (int pixel : new int[] {0, 29, 400, 783})
                assertEquals(w.getFloat(pixel, unit), image[unit * 784 + pixel], 0f, "unit " + unit + " pixel " + pixel);
    }

    /** Stops once val_acc passes 0.8 (evaluated every 25 iterations), so it lasts only as long as it must. */
    @Test
    void shapes_cnn_reaches_val_acc_above_0_8_within_3_epochs_of_6000_examples() {
        RunConfig cfg = new RunConfig("shapes", "shapes", new ModelConfig("cnn", List.of(64), 8, 5),
                Fixtures.opt("adam", 0.001), Fixtures.constant(), 0, 0, 64, 3, 42, 6000, 1000, 25, 25, 0);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        AtomicBoolean reached = new AtomicBoolean();
        RunMonitor watch = (step, tags, values, writer) -> {
            for (int i = 0; i < tags.length; i++) if (tags[i].equals("val_acc") && values[i] > 0.8) reached.set(true);
        };

        TrainOutcome outcome = Trainer.train(cfg, Fixtures.shapes(6000, 1000, 42), out, ProgressObserver.NONE, reached::get, List.of(watch));

        assertTrue(outcome.status() == RunStatus.STOPPED || outcome.status() == RunStatus.FINISHED, outcome.toString());
        assertTrue(outcome.iterations() <= 3 * 94, "within 3 epochs of 94 batches: " + outcome.iterations());
        double best = out.series("val_acc").stream().mapToDouble(p -> p[1]).max().orElseThrow();
        assertTrue(best > 0.8, "best val_acc " + best);
    }

    private MemoryRunWriter firstSteps(RunConfig cfg, Dataset data) {
        RunConfig capped = new RunConfig(cfg.name(), cfg.dataset(), cfg.model(), cfg.optimizer(), cfg.schedule(), cfg.l2(),
                cfg.dropout(), cfg.batchSize(), cfg.epochs(), cfg.seed(), cfg.trainSize(), cfg.valSize(), cfg.evalEvery(),
                cfg.filtersEvery(), 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainOutcome outcome = Trainer.train(capped, data, out, ProgressObserver.NONE, () -> false);
        assertEquals(RunStatus.FINISHED, outcome.status(), outcome.reason());
        return out;
    }
}
