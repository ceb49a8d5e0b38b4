package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import trainwatch.event.CheckOutcome;

class GradientCheckTest {
    private final GradientCheck check = new GradientCheck(GradientCheck.Options.defaults());

    @Test
    void a_correct_tanh_mlp_passes_with_errors_at_the_good_level() {
        MultiLayerNetwork net = LabNets.mlp(DataType.DOUBLE, Activation.TANH.getActivationFunction(), 0.01, new NoOp(), 7, 3, 8, 6);
        GradientReport r = check.run(net, LabNets.spiral(2, 3, 1, DataType.DOUBLE), 0.01);
        assertEquals(CheckOutcome.PASS, r.outcome(), r.summary());
        assertEquals(2, r.phases().size(), "data loss alone, then with l2");
        for (GradientReport.Phase p : r.phases())
            for (GradientReport.LayerErrors s : p.best()) assertTrue(s.maxRelError() < 1e-6, p.name() + " " + s);
        assertFalse(r.objectiveHasKinks());
    }

    @Test
    void a_correct_relu_cnn_passes_and_kinks_are_detected_not_counted() {
        MultiLayerNetwork net = LabNets.cnn(DataType.DOUBLE, 8, 2, 5, 3, 0.001, 3);
        GradientReport r = check.run(net, LabNets.randomImages(3, 8, 3, 2, DataType.DOUBLE), 0.001);
        assertTrue(r.objectiveHasKinks());
        assertEquals(CheckOutcome.PASS, r.outcome(), r.summary());
        assertEquals(3, r.phases().get(0).best().size(), "conv1, dense1, output (the pool has no parameters)");
    }

    @Test
    void a_step_large_enough_to_cross_relu_and_max_pool_kinks_is_flagged_and_left_out() {
        MultiLayerNetwork net = LabNets.cnn(DataType.DOUBLE, 8, 2, 5, 3, 0.0, 3);
        GradientCheck coarse = new GradientCheck(new GradientCheck.Options(new double[] {0.5}, 8, 1, 0, 0));
        GradientReport r = coarse.run(net, LabNets.randomImages(3, 8, 3, 2, DataType.DOUBLE), 0.0);
        GradientReport.Phase data = r.phases().get(0);
        assertFalse(data.kinkEntries().isEmpty(), "h = 0.5 moves pre-activations across 0 and changes pool winners");
        int flagged = data.best().stream().mapToInt(GradientReport.LayerErrors::kinks).sum();
        assertEquals(data.kinkEntries().size(), flagged);
        assertTrue(r.summary().contains("straddled a kink"), r.summary());
    }

    @Test
    void a_backprop_bug_planted_in_one_layer_is_caught_as_probably_wrong() {
        MultiLayerNetwork net = LabNets.mlp(DataType.DOUBLE, new ScaledBackpropTanh(1.5), 0.01, new NoOp(), 7, 3, 8);
        GradientReport r = check.run(net, LabNets.spiral(2, 3, 1, DataType.DOUBLE), 0.01);
        assertEquals(CheckOutcome.FAIL, r.outcome(), r.summary());
        GradientReport.LayerErrors dense1 = r.phases().get(0).best().get(0);
        assertEquals("dense1", dense1.layer());
        assertEquals(Reading.PROBABLY_WRONG, dense1.reading());
        GradientReport.LayerErrors output = r.phases().get(0).best().get(1);
        assertTrue(output.maxRelError() < 1e-6, "the output layer's own gradient is still right: " + output);
    }

    @Test
    void dl4j_gradient_check_util_agrees_on_both_networks() {
        DataSet d = LabNets.spiral(2, 3, 1, DataType.DOUBLE);
        MultiLayerNetwork good = LabNets.mlp(DataType.DOUBLE, Activation.TANH.getActivationFunction(), 0.0, new NoOp(), 7, 3, 8);
        MultiLayerNetwork bad = LabNets.mlp(DataType.DOUBLE, new ScaledBackpropTanh(1.5), 0.0, new NoOp(), 7, 3, 8);
        assertTrue(util(good, d));
        assertFalse(util(bad, d));
    }

    private static boolean util(MultiLayerNetwork net, DataSet d) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return checkWithUtil(net, d);
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static boolean checkWithUtil(MultiLayerNetwork net, DataSet d) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(d.getFeatures()).labels(d.getLabels()).print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(true));
    }

    @Test
    void relative_error_guards_the_zero_denominator() {
        assertEquals(0.0, GradientCheck.relativeError(0, 0));
        assertEquals(1.0, GradientCheck.relativeError(0, 1e-3));
        assertEquals(0.5, GradientCheck.relativeError(1, 2), 1e-12);
    }
}
