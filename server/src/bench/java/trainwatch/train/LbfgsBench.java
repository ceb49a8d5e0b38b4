package trainwatch.train;

import java.util.Arrays;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;

/**
 * L-BFGS vs full-batch SGD on the project's spiral MLP (2 -> 100 ReLU -> 3,
 * l2 1e-3, 300 points, the trainer's own init), given the same number of
 * gradient evaluations; SGD at the CS231n rate (lr 1) and at 2 and 0.5.
 * Prints the loss reached, median and range over seeds.
 */
@Tag("bench")
class LbfgsBench {
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7};
    private static final int[] BUDGETS = {50, 100, 200, 400};

    @Test
    void lbfgs_vs_sgd_on_the_spiral_for_equal_gradient_evaluations() throws Exception {
        System.out.println("| evaluations | lbfgs loss (median, min-max) | sgd lr 0.5 | sgd lr 1 | sgd lr 2 | best sgd / lbfgs (median) | lbfgs ms/iteration |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int budget : BUDGETS) {
            double[] lb = new double[SEEDS.length], ms = new double[SEEDS.length];
            double[][] sgd = new double[3][SEEDS.length];
            double[] ratio = new double[SEEDS.length];
            double[] rates = {0.5, 1, 2};
            for (int k = 0; k < SEEDS.length; k++) {
                RunConfig cfg = ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}, \"seed\": " + SEEDS[k] + "}");
                Dataset data = Datasets.load(cfg);
                DataSet batch = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), data.trainCount(), 0).batch(0).data();
                Nd4j.getRandom().setSeed(cfg.seed());
                MultiLayerNetwork net = Models.build(cfg, data);
                Objective obj = new Objective(net, batch, true);
                Lbfgs lbfgs = new Lbfgs(obj, Lbfgs.Options.defaults());
                lbfgs.loss();
                long t0 = System.nanoTime();
                int iters = 0;
                while (obj.evaluations() < budget) {
                    lbfgs.step();
                    iters++;
                }
                ms[k] = (System.nanoTime() - t0) / 1e6 / iters;
                lb[k] = net.score(batch, false);
                long used = obj.evaluations();
                double best = Double.POSITIVE_INFINITY;
                for (int r = 0; r < rates.length; r++) {
                    RunConfig s = ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": " + rates[r] + "}, \"seed\": " + SEEDS[k] + "}");
                    MultiLayerNetwork sn = Models.build(s, data);
                    for (long i = 0; i < used; i++) sn.fit(batch);
                    sgd[r][k] = sn.score(batch, false);
                    if (Double.isFinite(sgd[r][k])) best = Math.min(best, sgd[r][k]);
                }
                ratio[k] = best / lb[k];
            }
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.2fx | %.1f |%n", budget, stat(lb), stat(sgd[0]), stat(sgd[1]), stat(sgd[2]),
                    median(ratio), median(ms));
        }
    }

    private static String stat(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.4f (%.4f-%.4f)", median(v), s[0], s[s.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
