package trainwatch.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al. 2020). Rungs sit at
 * {@code minEpochs * reductionFactor^k} epochs (k = 0, 1, ...). When a trial reaches a
 * rung, its metric joins every value seen at that rung so far (its own included); it may
 * go on only if it is among the top max(1, floor(count / reductionFactor)) of them, ties
 * kept. No waiting for a full bracket: early trials are judged against few peers, later
 * ones against more, and a decision once made is not revisited.
 *
 * <p>A report that jumps past several rungs (metrics every few epochs) is judged at
 * each rung it passed, with its current value. A non-finite metric is pruned at once.
 */
public final class Asha implements EarlyStop {
    private final String metric;
    private final Goal goal;
    private final int minEpochs, reductionFactor;
    private final Map<Integer, List<Double>> rungLosses = new HashMap<>();
    private final Map<String, Integer> nextRung = new HashMap<>();
    private final Map<String, Decision> pruned = new HashMap<>();

    public Asha(String metric, Goal goal, int minEpochs, int reductionFactor) {
        if (minEpochs < 1) throw new InvalidSpaceException("earlyStop.minEpochs", "must be >= 1, got " + minEpochs);
        if (reductionFactor < 2) throw new InvalidSpaceException("earlyStop.reductionFactor", "must be >= 2, got " + reductionFactor);
        this.metric = metric;
        this.goal = goal;
        this.minEpochs = minEpochs;
        this.reductionFactor = reductionFactor;
    }

    /** The epoch of rung k, saturating rather than overflowing. */
    public long rungEpoch(int k) {
        long e = minEpochs;
        for (int i = 0; i < k && e < Integer.MAX_VALUE; i++) e *= reductionFactor;
        return e;
    }

    @Override
    public synchronized Decision report(String trial, int epoch, double value) {
        Decision done = pruned.get(trial);
        if (done != null) return done;
        int k = nextRung.getOrDefault(trial, 0);
        for (; rungEpoch(k) <= epoch; k++) {
            nextRung.put(trial, k + 1);
            Decision d = judge(k, value);
            if (d.stop()) {
                pruned.put(trial, d);
                return d;
            }
        }
        return Decision.CONTINUE;
    }

    private Decision judge(int k, double value) {
        String where = "rung " + k + " (epoch " + rungEpoch(k) + ")";
        if (!Double.isFinite(value)) return Decision.prune("pruned at " + where + ": " + metric + " is " + value);
        double loss = goal.loss(value);
        List<Double> seen = rungLosses.computeIfAbsent(k, x -> new ArrayList<>());
        seen.add(loss);
        int keep = Math.max(1, seen.size() / reductionFactor);
        List<Double> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        double threshold = sorted.get(keep - 1);
        if (loss <= threshold) return Decision.CONTINUE;
        double shown = goal == Goal.MAX ? -threshold : threshold;
        return Decision.prune(String.format(Locale.ROOT, "pruned at %s: %s %s %s %s, the top 1/%d threshold (%d of %d trials at this rung go on)",
                where, metric, fmt(value), goal == Goal.MAX ? "<" : ">", fmt(shown), reductionFactor, keep, seen.size()));
    }

    /** Four significant digits without trailing zeros: 0.61, 1.2e-05, 256. */
    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e), exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) mantissa = mantissa.replaceAll("\\.?0+$", "");
        return mantissa + exponent;
    }
}
