package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.event.CheckOutcome;
import trainwatch.event.CheckResult;
import trainwatch.testkit.MemoryRunWriter;

/**
 * reg_raises_loss compares DL4J's reported score with an independent data
 * loss plus the l2 term computed from the weights, so it fails when the l2 the
 * config asks for never reaches the layers.
 */
class RegularizationCheckTest {
    private static final double L2 = 1e-2;

    @TempDir
    Path dir;

    private static RunConfig spiral(double l2) {
        RunConfig b = Fixtures.mlp("spiral", List.of(100), Fixtures.opt("sgd", 1.0), 300, 1, 7);
        return new RunConfig(b.name(), b.dataset(), b.model(), b.optimizer(), b.schedule(), l2, 0, 300, 3, 7, 0, 0, 50, 25, 0);
    }

    /** What TrainingSession does at step 0: measure, fit, read DL4J's reported score, judge. */
    private static SanityChecks.Verdict firstStep(MultiLayerNetwork net, Dataset data, double configL2) {
        MiniBatches batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), 300, 7);
        DataSet batch = batches.batch(0).data();
        SanityChecks.Step0 m = SanityChecks.Step0.measure(net, batch, configL2);
        net.fit(batch);
        return SanityChecks.judgeRegularization(configL2, net.score(), m);
    }

    @Test
    void the_l2_term_from_the_weights_is_dl4js_own_regularization_score_weights_only() {
        Nd4j.getRandom().setSeed(7);
        MultiLayerNetwork net = Models.build(spiral(L2), Fixtures.spiral(100, 7));
        double dl4j = net.calcRegularizationScore(true);
        assertTrue(dl4j > 0.01, "a term big enough to see: " + dl4j);
        assertEquals(dl4j, Losses.l2Term(net, L2), 1e-5 * dl4j, "0.5 * l2 * sum W^2 over weight matrices, biases not included");
    }

    @Test
    void a_network_built_with_the_configs_l2_passes() {
        Nd4j.getRandom().setSeed(7);
        Dataset data = Fixtures.spiral(100, 7);
        SanityChecks.Verdict v = firstStep(Models.build(spiral(L2), data), data, L2);
        assertEquals(CheckOutcome.PASS, v.outcome(), v.summary());
    }

    @Test
    void a_network_whose_layers_silently_lost_the_l2_fails_the_check() {
        Nd4j.getRandom().setSeed(7);
        Dataset data = Fixtures.spiral(100, 7);
        // the planted bug: the config says l2 = 1e-2, the layers were built without it
        MultiLayerNetwork dropped = Models.build(spiral(0), data);
        SanityChecks.Verdict v = firstStep(dropped, data, L2);
        assertEquals(CheckOutcome.FAIL, v.outcome(), v.summary());
        assertTrue(v.summary().contains("data loss alone"), v.summary());
    }

    @Test
    void a_score_that_is_neither_fails_and_a_term_too_small_to_resolve_warns() {
        SanityChecks.Step0 m = new SanityChecks.Step0(1.10, 0.05, 1.15);
        assertEquals(CheckOutcome.PASS, SanityChecks.judgeRegularization(L2, 1.15, m).outcome());
        assertEquals(CheckOutcome.FAIL, SanityChecks.judgeRegularization(L2, 1.30, m).outcome());
        assertEquals(CheckOutcome.FAIL, SanityChecks.judgeRegularization(L2, Double.NaN, m).outcome());
        SanityChecks.Step0 tiny = new SanityChecks.Step0(1.10, 1e-7, 1.10);
        assertEquals(CheckOutcome.WARN, SanityChecks.judgeRegularization(1e-9, 1.10, tiny).outcome());
    }

    @Test
    void the_trainer_records_a_passing_check_whose_details_hold_both_sides() {
        MemoryRunWriter out = new MemoryRunWriter(dir);
        RunConfig cfg = spiral(L2);
        Fixtures.trainOnSpiral(cfg, 100, out);
        CheckResult c = out.check("reg_raises_loss");
        assertEquals("pass", c.outcome(), c.summary());
        assertTrue(c.detailsJson().contains("\"expected_loss\"") && c.detailsJson().contains("\"reg_loss\""), c.detailsJson());
    }
}
