package trainwatch.search;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A Parzen estimator on one numeric parameter's search scale [lo, hi]: a weighted
 * mixture of normals truncated to the range, one per observation plus a wide prior
 * (centre of the range, width the whole range), built the way Optuna's univariate
 * TPESampler builds it:
 * - each kernel's width is the larger gap to its sorted neighbours (range ends count
 *   as neighbours, except that the outermost kernels use their inner gap only);
 * - widths are clipped to [range / min(100, 1 + kernels), range] ("magic clip"), so
 *   a tight cluster of good trials cannot collapse to a spike;
 * - weights are given per observation (older trials weigh less, see TpeSampler) and the
 *   prior weighs {@code priorWeight} before normalising.
 */
final class Parzen {
    private final double lo, hi;
    private final double[] mus, sigmas, invSigmas, coef, cumulative;

    /** @param obs observations on the search scale, inside [lo, hi]; @param weights one per observation */
    Parzen(double[] obs, double[] weights, double lo, double hi, double priorWeight) {
        this.lo = lo;
        this.hi = hi;
        int n = obs.length;
        double range = hi - lo;
        mus = Arrays.copyOf(obs, n + 1);
        mus[n] = 0.5 * (lo + hi);
        sigmas = new double[n + 1];
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        double minSigma = range / Math.min(100.0, 1.0 + n + 1);
        for (int r = 0; r <= n; r++) {
            double left = (r == 0 ? mus[order[r]] - lo : mus[order[r]] - mus[order[r - 1]]);
            double right = (r == n ? hi - mus[order[r]] : mus[order[r + 1]] - mus[order[r]]);
            double s = Math.max(left, right);
            if (n + 1 >= 2) { // Optuna's consider_endpoints=False: the outer kernels ignore the range ends
                if (r == 0) s = right;
                else if (r == n) s = left;
            }
            sigmas[order[r]] = Math.min(range, Math.max(minSigma, s));
        }
        sigmas[n] = range;
        double[] w = Arrays.copyOf(weights, n + 1);
        w[n] = priorWeight;
        double total = 0;
        for (double x : w) total += x;
        coef = new double[n + 1];
        invSigmas = new double[n + 1];
        cumulative = new double[n + 1];
        double acc = 0;
        for (int k = 0; k <= n; k++) {
            double mass = Normal.cdf((hi - mus[k]) / sigmas[k]) - Normal.cdf((lo - mus[k]) / sigmas[k]);
            coef[k] = w[k] / total / (sigmas[k] * mass * Normal.SQRT_2PI);
            invSigmas[k] = 1 / sigmas[k];
            acc += w[k] / total;
            cumulative[k] = acc;
        }
    }

    /** A draw: pick a kernel by weight, then draw from it until the draw lands in range. */
    double sample(RandomGenerator rng) {
        int k = Arrays.binarySearch(cumulative, rng.nextDouble() * cumulative[cumulative.length - 1]);
        if (k < 0) k = -k - 1;
        if (k >= mus.length) k = mus.length - 1;
        while (true) { // acceptance is at least ~0.34: the centre is in range and sigma <= range
            double x = mus[k] + sigmas[k] * rng.nextGaussian();
            if (x >= lo && x <= hi) return x;
        }
    }

    /**
     * Log of the mixture density at x. Summed directly, without log-sum-exp: the prior
     * kernel (width = range, centre in range) contributes at least exp(-0.125) times its
     * coefficient anywhere in range, so the sum never underflows to zero. Kernels more
     * than 9 widths away (a factor below exp(-40.5) ~ 2.6e-18) are skipped without an exp:
     * with many trials most kernels are range/100 wide and far from x.
     */
    double logPdf(double x) {
        double sum = 0;
        for (int k = 0; k < mus.length; k++) {
            double z = (x - mus[k]) * invSigmas[k];
            double zz = z * z;
            if (zz < 81) sum += coef[k] * Math.exp(-0.5 * zz);
        }
        return Math.log(sum);
    }
}
