package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import trainwatch.lab.LabNets;

class LbfgsFitterTest {
    /** What a metrics listener sees from one fit. */
    static final class Seen extends BaseTrainingListener {
        final List<Integer> forwardSizes = new ArrayList<>();
        final List<Double> weightNormBefore = new ArrayList<>();
        final List<Double> score = new ArrayList<>();
        final List<Double> updateNorm = new ArrayList<>();
        final List<Double> lr = new ArrayList<>();
        final List<Integer> iterations = new ArrayList<>();

        int iterationDoneCount() {
            return iterations.size();
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            forwardSizes.add(activations.size());
        }

        @Override
        public void onGradientCalculation(Model model) {
            weightNormBefore.add(((MultiLayerNetwork) model).getParam("0_W").norm2Number().doubleValue());
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            score.add(net.score());
            updateNorm.add(net.gradient().getGradientFor("0_W").norm2Number().doubleValue());
            lr.add(net.getLearningRate(0));
            iterations.add(iteration);
        }
    }

    @Test
    void listeners_see_one_dl4j_style_iteration_per_fit_with_the_applied_update() {
        DataSet data = LabNets.spiral(50, 3, 0, DataType.FLOAT);
        MultiLayerNetwork net = LabNets.mlp(DataType.FLOAT, Activation.RELU.getActivationFunction(), 1e-3, new Sgd(0.1), 42, 3, 20);
        Seen seen = new Seen();
        net.setListeners(seen);
        LbfgsFitter fitter = new LbfgsFitter(net);
        double lossBefore = net.score(data);
        for (int i = 0; i < 5; i++) {
            INDArray wBefore = net.getParam("0_W").dup();
            Lbfgs.Step step = fitter.fit(data);
            INDArray wAfter = net.getParam("0_W").dup();
            assertEquals(i + 1, seen.iterationDoneCount(), "exactly one iterationDone per fit, none from the line search");
            assertEquals(2, seen.forwardSizes.get(i), "input and dense1's output: everything but the output layer's");
            assertEquals(wBefore.norm2Number().doubleValue(), seen.weightNormBefore.get(i), 1e-5, "weights read before the step");
            assertEquals(wBefore.sub(wAfter).norm2Number().doubleValue(), seen.updateNorm.get(i), 1e-5, "gradient view = applied update");
            assertEquals(step.lossBefore(), seen.score.get(i), 1e-6, "score() = the loss before the step, as after DL4J's fit");
            assertEquals(step.stepSize(), seen.lr.get(i), 1e-9, "lr = the accepted step length");
            assertEquals(i, seen.iterations.get(i));
            assertTrue(step.lossAfter() < step.lossBefore());
        }
        assertEquals(lossBefore, seen.score.get(0), 1e-5);
        assertEquals(1, net.getListeners().size(), "listeners are back after the fit");
    }
}
