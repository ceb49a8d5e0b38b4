package trainwatch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * TPE's split of the known trials into "good" (below) and "bad" (above), each kept in
 * trial order. Ranking, best first: complete trials by metric; then pruned trials, the
 * ones that got further first, then by metric; then failed trials (the worst value).
 * Running trials are always bad: the "constant liar" that keeps parallel workers from
 * being sent to the same spot while its first trial is still running.
 */
record TrialSplit(List<Assignment> below, List<Assignment> above) {

    /** Good-set size for n known trials (finished + running): min(ceil(n / 10), 25), Optuna's default. */
    static int gamma(int n) {
        return Math.min((n + 9) / 10, 25);
    }

    static TrialSplit of(List<Trial> history, List<Assignment> pending, Goal goal) {
        int n = history.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Comparator<Integer> byRank = Comparator.comparingInt(i -> history.get(i).status().ordinal());
        byRank = byRank.thenComparingInt(i -> history.get(i).status() == Trial.Status.PRUNED ? -history.get(i).epochs() : 0)
                .thenComparingDouble(i -> history.get(i).status() == Trial.Status.FAILED ? 0 : goal.loss(history.get(i).value()))
                .thenComparingInt(i -> i);
        int nBelow = Math.min(gamma(n + pending.size()), n);
        boolean[] good = new boolean[n];
        if (nBelow > 0) {
            Arrays.sort(order, byRank);
            for (int r = 0; r < nBelow; r++) good[order[r]] = true;
        }
        List<Assignment> below = new ArrayList<>(nBelow), above = new ArrayList<>(n - nBelow + pending.size());
        for (int i = 0; i < n; i++) (good[i] ? below : above).add(history.get(i).assignment());
        above.addAll(pending);
        return new TrialSplit(below, above);
    }

    /**
     * Optuna's default observation weights, oldest first: all 1 below 25 observations,
     * otherwise the newest 25 weigh 1 and the older ones ramp linearly from 1/n up to 1.
     */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }
}
