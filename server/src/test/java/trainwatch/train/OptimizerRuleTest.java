package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.data.Dataset;

/**
 * The first updates of each optimizer on a tiny softmax regression (2 inputs,
 * 3 classes, 6 examples, double precision) against the rule written out here
 * from the raw gradients DL4J computed (copied before the updater ran).
 */
class OptimizerRuleTest {
    static final int STEPS = 4;
    static final double LR = 0.1, MU = 0.9, B1 = 0.9, B2 = 0.999, EPS = 1e-8, DECAY = 0.95;

    @Test
    void sgd_steps_by_minus_lr_times_gradient() {
        check("sgd", (g, state, t) -> scale(g, -LR));
    }

    /** Classic momentum as written: v = mu*v - lr*g; x += v. */
    @Test
    void momentum_follows_v_equals_mu_v_minus_lr_g_then_x_plus_v() {
        check("momentum", (g, s, t) -> {
            double[] v = s.get(0, g.length);
            for (int i = 0; i < g.length; i++) v[i] = MU * v[i] - LR * g[i];
            return v.clone();
        });
    }

    /** DL4J's rewritten Nesterov form: v' = mu*v - lr*g; x += -mu*v + (1+mu)*v'. */
    @Test
    void nesterov_follows_dl4j_rewritten_form_minus_mu_v_prev_plus_one_plus_mu_v() {
        check("nesterov", (g, s, t) -> {
            double[] v = s.get(0, g.length);
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                double prev = v[i];
                v[i] = MU * v[i] - LR * g[i];
                dx[i] = -MU * prev + (1 + MU) * v[i];
            }
            return dx;
        });
    }

    /**
     * AdaGrad: h += g^2; x -= lr*g/(sqrt(h)+eps), in DL4J's form: the history
     * starts at 1e-6 (a constant inside DL4J's AdaGradUpdater, not the configured eps).
     */
    @Test
    void adagrad_divides_by_the_root_of_the_summed_squares() {
        check("adagrad", (g, s, t) -> {
            double[] h = s.get(0, g.length, 1e-6);
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                h[i] += g[i] * g[i];
                dx[i] = -LR * g[i] / (Math.sqrt(h[i]) + EPS);
            }
            return dx;
        });
    }

    /** RMSProp: r = decay*r + (1-decay)*g^2; x -= lr*g/(sqrt(r)+eps), r starting at eps as DL4J initializes it. */
    @Test
    void rmsprop_divides_by_the_root_of_the_decayed_mean_square() {
        check("rmsprop", (g, s, t) -> {
            double[] r = s.get(0, g.length, EPS);
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                r[i] = DECAY * r[i] + (1 - DECAY) * g[i] * g[i];
                dx[i] = -LR * g[i] / (Math.sqrt(r[i]) + EPS);
            }
            return dx;
        });
    }

    /** DL4J's rewritten Adam form (bias correction folded into the step size): x -= lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps), eps not bias-corrected. */
    @Test
    void adam_follows_dl4j_form_with_bias_correction_folded_into_the_step_size() {
        check("adam", (g, s, t) -> {
            double[] m = s.get(0, g.length);
            double[] v = s.get(1, g.length);
            double alpha = LR * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                dx[i] = -alpha * m[i] / (Math.sqrt(v[i]) + EPS);
            }
            return dx;
        });
    }

    /** Parameter change dx from gradient g at 1-based iteration t, keeping its own state. */
    interface Rule {
        double[] step(double[] g, State state, int t);
    }

    static final class State {
        private final List<double[]> arrays = new ArrayList<>();

        double[] get(int i, int n) {
            return get(i, n, 0);
        }

        double[] get(int i, int n, double init) {
            while (arrays.size() <= i) arrays.add(null);
            if (arrays.get(i) == null) {
                double[] a = new double[n];
                java.util.Arrays.fill(a, init);
                arrays.set(i, a);
            }
            return arrays.get(i);
        }
    }

    private static void check(String optimizer, Rule rule) {
        Dataset data = new Dataset("spiral", 3, new int[] {2},
                new float[] {0.5f, -1f, 1f, 0.2f, -0.3f, 0.8f, 0.9f, 0.9f, -1f, -0.5f, 0.1f, -0.7f},
                new int[] {0, 1, 2, 0, 1, 2}, new float[0], new int[0]);
        OptimizerConfig opt = new OptimizerConfig(optimizer, LR, MU, B1, B2, EPS, DECAY);
        RunConfig cfg = Fixtures.mlp("spiral", List.of(), opt, 6, 1, 3);
        MultiLayerNetwork net = Models.build(cfg, data, DataType.DOUBLE);
        GradientCopy gradients = new GradientCopy(6);
        net.setListeners(gradients);
        INDArray x = Nd4j.create(new double[][] {{0.5, -1}, {1, 0.2}, {-0.3, 0.8}, {0.9, 0.9}, {-1, -0.5}, {0.1, -0.7}});
        INDArray y = Nd4j.create(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        DataSet batch = new DataSet(x, y);
        State state = new State();
        for (int t = 1; t <= STEPS; t++) {
            double[] before = net.params().dup().toDoubleVector();
            net.fit(batch);
            double[] after = net.params().toDoubleVector();
            double[] expected = rule.step(gradients.last, state, t);
            for (int i = 0; i < before.length; i++)
                assertEquals(expected[i], after[i] - before[i], 1e-6, optimizer + " iteration " + t + " param " + i);
        }
    }

    /**
     * Copies the raw gradient before the updater turns it into the update
     * (in iterationDone the gradient view already holds the applied update). At that point it is summed over the batch: DL4J divides by
     * the batch size inside the updater, so the copy is divided here.
     */
    static final class GradientCopy extends BaseTrainingListener {
        final int batchSize;
        double[] last;

        GradientCopy(int batchSize) {
            this.batchSize = batchSize;
        }

        @Override
        public void onGradientCalculation(Model model) {
            last = model.gradient().gradient().dup().divi(batchSize).toDoubleVector();
        }
    }

    private static double[] scale(double[] g, double f) {
        double[] r = new double[g.length];
        for (int i = 0; i < g.length; i++) r[i] = f * g[i];
        return r;
    }
}
