package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

import trainwatch.event.CheckOutcome;
import trainwatch.train.LbfgsFitter;

class OverfitCheckTest {
    private final DataSet twenty = LabNets.head(shuffled(), 20);

    /** 20 spiral points from all three arms. */
    private static DataSet shuffled() {
        DataSet d = LabNets.spiral(100, 3, 0, DataType.FLOAT);
        d.shuffle(5);
        return d;
    }

    private final OverfitCheck check = new OverfitCheck(new OverfitCheck.Options(600, 0.01, 60_000, 5));

    @Test
    void a_model_with_enough_capacity_overfits_twenty_examples_and_reports_the_iterations() {
        MultiLayerNetwork net = LabNets.mlp(DataType.FLOAT, Activation.RELU.getActivationFunction(), 0, new Adam(0.02), 1, 3, 50);
        OverfitCheck.Result r = check.run(net, twenty, net::fit);
        assertEquals(CheckOutcome.PASS, r.outcome(), r.summary());
        assertEquals(20, r.examples());
        assertEquals(1.0, r.accuracy());
        assertTrue(r.loss() < 0.01);
        assertTrue(r.iterations() > 0 && r.iterations() < 600, r.summary());
        assertTrue(r.summary().contains(r.iterations() + " iterations"), r.summary());
    }

    @Test
    void a_model_with_one_hidden_unit_cannot_overfit_and_fails_with_its_final_numbers() {
        MultiLayerNetwork net = LabNets.mlp(DataType.FLOAT, Activation.RELU.getActivationFunction(), 0, new Adam(0.02), 1, 3, 1);
        OverfitCheck.Result r = new OverfitCheck(new OverfitCheck.Options(300, 0.01, 60_000, 5)).run(net, twenty, net::fit);
        assertEquals(CheckOutcome.FAIL, r.outcome(), r.summary());
        assertEquals(300, r.iterations(), "ran to the cap");
        assertTrue(r.accuracy() < 1.0 || r.loss() >= 0.01);
        assertTrue(r.summary().contains(String.format(java.util.Locale.ROOT, "%.2f", r.accuracy())), r.summary());
        assertEquals(r.steps().length, r.losses().length);
    }

    @Test
    void lbfgs_overfits_twenty_examples_too() {
        MultiLayerNetwork net = LabNets.mlp(DataType.FLOAT, Activation.RELU.getActivationFunction(), 0, new NoOp(), 1, 3, 50);
        LbfgsFitter fitter = new LbfgsFitter(net);
        OverfitCheck.Result r = check.run(net, twenty, fitter::fit);
        assertEquals(CheckOutcome.PASS, r.outcome(), r.summary());
    }
}
