package trainwatch.search;

import java.util.random.RandomGenerator;

/**
 * Optuna's categorical Parzen estimator, which reduces to smoothed counts: each
 * observation is a kernel putting 1 on its choice plus {@code priorWeight / kernels} on
 * every choice (normalised), the prior kernel is uniform, and the kernels mix with the
 * observation weights (the prior with {@code priorWeight}).
 */
final class CategoricalParzen {
    private final double[] p;

    CategoricalParzen(int[] obs, double[] weights, int choices, double priorWeight) {
        int kernels = obs.length + 1;
        double fill = priorWeight / kernels;
        double total = priorWeight;
        for (double w : weights) total += w;
        p = new double[choices];
        double rowSum = 1 + fill * choices;
        for (int i = 0; i < obs.length; i++) {
            double w = weights[i] / total;
            for (int c = 0; c < choices; c++) p[c] += w * fill / rowSum;
            p[obs[i]] += w / rowSum;
        }
        for (int c = 0; c < choices; c++) p[c] += (priorWeight / total) / choices;
    }

    int sample(RandomGenerator rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int c = 0; c < p.length; c++) {
            acc += p[c];
            if (u < acc) return c;
        }
        return p.length - 1;
    }

    double logPdf(int c) {
        return Math.log(p[c]);
    }
}
