package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.event.Tags;
import trainwatch.testkit.MemoryRunWriter;

/** Issue 12: config key averaging keeps a Polyak average of the parameters, evaluates it and checkpoints it. */
class PolyakAverageTest {
    @TempDir
    Path dir;

    @Test
    void with_decay_0_the_average_is_the_live_weights() {
        PolyakAverage avg = new PolyakAverage(0);
        avg.update(Nd4j.createFromArray(1f, 2f, 3f));
        avg.update(Nd4j.createFromArray(-4f, 0.5f, 7f));
        assertArrayEquals(new float[] {-4f, 0.5f, 7f}, avg.value().toFloatVector(), 0f);
    }

    @Test
    void a_hand_computed_average_matches_to_1e_6() {
        // d = 0.5, w1 = (1, 2), w2 = (3, -1), w3 = (0.5, 4):
        // acc = 0.5*(0.5*(0.5*w1) + 0.5*w2) + 0.5*w3 = (1.125, 2), bias correction 1 - 0.5^3 = 0.875
        PolyakAverage avg = new PolyakAverage(0.5);
        avg.update(Nd4j.createFromArray(1f, 2f));
        avg.update(Nd4j.createFromArray(3f, -1f));
        avg.update(Nd4j.createFromArray(0.5f, 4f));
        float[] v = avg.value().toFloatVector();
        assertEquals(1.125 / 0.875, v[0], 1e-6);
        assertEquals(2 / 0.875, v[1], 1e-6);
        assertEquals(3, avg.count());
    }

    @Test
    void restoring_a_saved_average_continues_it_exactly() {
        PolyakAverage a = new PolyakAverage(0.9);
        a.update(Nd4j.createFromArray(1f, 2f));
        a.update(Nd4j.createFromArray(3f, -1f));
        PolyakAverage b = new PolyakAverage(0.9);
        b.restore(a.value(), a.count());
        a.update(Nd4j.createFromArray(0.5f, 4f));
        b.update(Nd4j.createFromArray(0.5f, 4f));
        assertArrayEquals(a.value().toFloatVector(), b.value().toFloatVector(), 1e-6f);
    }

    @Test
    void the_trainer_with_decay_0_records_val_avg_equal_to_val_and_saves_the_live_weights() throws Exception {
        RunConfig cfg = spiral(0.0, 6);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        assertEquals(RunStatus.FINISHED, Fixtures.trainOnSpiral(cfg, 30, out).status());

        double[] val = out.values(Tags.VAL_ACC), avg = out.values(Tags.VAL_ACC_AVG);
        assertTrue(val.length >= 3, "evaluations every 2 steps");
        assertArrayEquals(val, avg, 1e-6);
        assertArrayEquals(out.values(Tags.VAL_LOSS), out.values(Tags.VAL_LOSS_AVG), 1e-6);
        assertArrayEquals(params(out.checkpointDir().resolve("final.zip")), params(out.checkpointDir().resolve("average.zip")), 1e-6f);
    }

    @Test
    void the_trainer_s_average_after_3_steps_is_the_hand_computed_mean_of_the_3_weights() throws Exception {
        float[][] w = new float[3][];
        for (int k = 1; k <= 3; k++) {
            MemoryRunWriter out = new MemoryRunWriter(Files.createDirectories(dir.resolve("live" + k)));
            Fixtures.trainOnSpiral(spiral(Double.NaN, k), 30, out);
            w[k - 1] = params(out.checkpointDir().resolve("final.zip"));
        }
        MemoryRunWriter out = new MemoryRunWriter(Files.createDirectories(dir.resolve("avg")));
        Fixtures.trainOnSpiral(spiral(0.5, 3), 30, out);
        float[] avg = params(out.checkpointDir().resolve("average.zip"));
        assertArrayEquals(w[2], params(out.checkpointDir().resolve("final.zip")), 0f, "averaging leaves the live weights alone");
        for (int i = 0; i < avg.length; i++) {
            double expected = (0.5 * w[2][i] + 0.25 * w[1][i] + 0.125 * w[0][i]) / 0.875;
            assertEquals(expected, avg[i], 1e-6, "parameter " + i);
        }
        assertNotNull(out.value(2, Tags.VAL_ACC_AVG), "the last step is an evaluation and carries val_acc_avg");
        assertTrue(Checkpoints.list(out.checkpointDir()).stream().noneMatch(s -> s.zip().endsWith("average.zip")),
                "the average is never a resume point");
    }

    @Test
    void the_config_key_is_validated_and_round_trips() throws Exception {
        RunConfig c = ConfigParser.parse("{\"dataset\": \"spiral\", \"averaging\": {\"decay\": 0.99}}");
        assertEquals(0.99, c.averagingDecay());
        assertEquals(c, ConfigParser.parse(ConfigParser.toJson(c)));
        assertEquals(0.999, ConfigParser.parse("{\"dataset\": \"spiral\", \"averaging\": {}}").averagingDecay());
        assertTrue(!ConfigParser.parse("{\"dataset\": \"spiral\"}").averaging());
        var e = org.junit.jupiter.api.Assertions.assertThrows(trainwatch.config.ConfigException.class,
                () -> ConfigParser.parse("{\"dataset\": \"spiral\", \"averaging\": {\"decay\": 1}}"));
        assertTrue(e.getMessage().contains("averaging.decay"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(trainwatch.config.ConfigException.class,
                () -> ConfigParser.parse("{\"dataset\": \"spiral\", \"averaging\": {\"decy\": 0.5}}"));
        assertTrue(e.getMessage().contains("averaging.decy"), e.getMessage());
    }

    /** Full-batch sgd on a spiral (deterministic), evaluating every 2 steps, stopping after {@code steps}. */
    private static RunConfig spiral(double decay, int steps) {
        RunConfig b = Fixtures.mlp("spiral", List.of(8), Fixtures.opt("sgd", 0.5), 300, 100, 5);
        return new RunConfig(b.name(), b.dataset(), b.model(), b.optimizer(), b.schedule(), 0, 0, b.batchSize(), b.epochs(),
                b.seed(), 0, 0, 2, b.filtersEvery(), steps, 0, 3, decay);
    }

    private static float[] params(Path zip) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        return net.params().dup().toFloatVector();
    }
}
