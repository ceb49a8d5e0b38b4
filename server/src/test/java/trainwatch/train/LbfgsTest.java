package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

import trainwatch.lab.LabNets;

class LbfgsTest {
    private static final int EVALUATIONS = 200;
    private static final double L2 = 0;

    private static MultiLayerNetwork spiralMlp(org.nd4j.linalg.learning.config.IUpdater updater) {
        return LabNets.mlp(DataType.FLOAT, Activation.RELU.getActivationFunction(), L2, updater, 42, 3, 100);
    }

    @Test
    void lbfgs_reaches_a_lower_spiral_loss_than_full_batch_sgd_with_the_same_gradient_evaluations() {
        DataSet data = LabNets.spiral(100, 3, 0, DataType.FLOAT);

        MultiLayerNetwork net = spiralMlp(new NoOp());
        Objective objective = new Objective(net, data, true);
        Lbfgs lbfgs = new Lbfgs(objective, Lbfgs.Options.defaults());
        double start = lbfgs.loss();
        int steps = 0;
        while (objective.evaluations() < EVALUATIONS) {
            lbfgs.step();
            steps++;
        }
        double lbfgsLoss = net.score(data);

        // sgd gets exactly as many gradient evaluations as lbfgs used (line searches included)
        MultiLayerNetwork sgdNet = spiralMlp(new Sgd(1.0));
        double sgdStart = sgdNet.score(data);
        for (long i = 0; i < objective.evaluations(); i++) sgdNet.fit(data);
        double sgdLoss = sgdNet.score(data);
        System.out.printf("spiral, %d gradient evaluations: sgd(lr 1) %.4f -> %.4f, lbfgs %.4f -> %.4f in %d iterations (%d evaluations)%n",
                EVALUATIONS, sgdStart, sgdLoss, start, lbfgsLoss, steps, objective.evaluations());
        assertEquals(sgdStart, start, 1e-6, "both start from the same seeded weights");
        assertTrue(lbfgsLoss < sgdLoss, "lbfgs " + lbfgsLoss + " vs sgd " + sgdLoss);
        assertTrue(lbfgsLoss < 0.5 * sgdLoss, "not just lower but clearly lower: lbfgs " + lbfgsLoss + " vs sgd " + sgdLoss);
    }

    @Test
    void every_lbfgs_step_decreases_the_loss_and_does_not_stall() {
        DataSet data = LabNets.spiral(100, 3, 0, DataType.FLOAT);
        MultiLayerNetwork net = spiralMlp(new NoOp());
        Lbfgs lbfgs = new Lbfgs(new Objective(net, data, true), Lbfgs.Options.defaults());
        double first = lbfgs.loss();
        double last = first;
        for (int i = 0; i < 30; i++) {
            Lbfgs.Step s = lbfgs.step();
            assertTrue(s.moved(), "step " + i + " moved");
            assertTrue(s.lossAfter() < s.lossBefore(), "step " + i + ": " + s);
            assertEquals(last, s.lossBefore(), 1e-9);
            last = s.lossAfter();
        }
        assertTrue(last < 0.5 * first, "DL4J's own LBFGS freezes within ~10 iterations; this one keeps going: " + first + " -> " + last);
    }

    @Test
    void on_the_products_spiral_setup_lbfgs_beats_sgd_at_lr_1_for_the_same_gradient_evaluations() throws Exception {
        trainwatch.config.RunConfig cfg = trainwatch.config.ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}}");
        trainwatch.data.Dataset data = trainwatch.data.Datasets.load(cfg);
        DataSet batch = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), data.trainCount(), 0).batch(0).data();
        MultiLayerNetwork net = Models.build(cfg, data);
        Objective objective = new Objective(net, batch, true);
        Lbfgs lbfgs = new Lbfgs(objective, Lbfgs.Options.defaults());
        while (objective.evaluations() < 100) lbfgs.step();
        double lbfgsLoss = net.score(batch, false);

        MultiLayerNetwork sgd = Models.build(trainwatch.config.ConfigParser.parse("{\"dataset\": \"spiral\"}"), data); // sgd lr 1, l2 1e-3
        for (long i = 0; i < objective.evaluations(); i++) sgd.fit(batch);
        double sgdLoss = sgd.score(batch, false);
        assertTrue(lbfgsLoss < 0.8 * sgdLoss, "l2 included, " + objective.evaluations() + " evaluations: lbfgs " + lbfgsLoss + " vs sgd " + sgdLoss);
    }
}
