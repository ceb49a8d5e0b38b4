package trainwatch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TPE's split of the known trials into "good" (below) and "bad" (above), each in trial
 * order with Optuna's observation weights. Ranking, best first: complete trials by
 * metric; then pruned trials, the ones that got further first, then by metric; then
 * failed trials (the worst value). Running trials are always bad: the "constant liar"
 * that keeps parallel workers from being sent to the same spot while its first trial is
 * still running.
 *
 * <p>Past {@code maxAbove} bad trials, the bad set is an even stride through them in trial
 * order (running trials always kept), each keeping its full-history weight. With that many
 * kernels, magic clip already holds every width at range/100, so the density keeps its
 * shape and only gains sampling noise; in exchange a suggestion costs the same at 10,000
 * trials as at 2,000.
 */
record TrialSplit(List<Assignment> below, double[] belowWeights, List<Assignment> above, double[] aboveWeights) {

    /** Good-set size for n known trials (finished + running): min(ceil(n / 10), 25), Optuna's default. */
    static int gamma(int n) {
        return Math.min((n + 9) / 10, 25);
    }

    static TrialSplit of(List<Trial> history, List<Assignment> pending, Goal goal, int maxAbove) {
        int n = history.size();
        int nBelow = Math.min(gamma(n + pending.size()), n);
        boolean[] good = new boolean[n];
        for (int i : best(history, goal, nBelow)) good[i] = true;
        List<Assignment> below = new ArrayList<>(nBelow), bad = new ArrayList<>(n - nBelow);
        for (int i = 0; i < n; i++) (good[i] ? below : bad).add(history.get(i).assignment());
        double[] all = weights(bad.size() + pending.size());
        List<Assignment> above = new ArrayList<>();
        double[] aboveWeights;
        if (bad.size() <= maxAbove) {
            above.addAll(bad);
            aboveWeights = all;
        } else {
            aboveWeights = new double[maxAbove + pending.size()];
            for (int k = 0; k < maxAbove; k++) {
                int i = (int) ((long) k * bad.size() / maxAbove);
                above.add(bad.get(i));
                aboveWeights[k] = all[i];
            }
            System.arraycopy(all, bad.size(), aboveWeights, maxAbove, pending.size());
        }
        above.addAll(pending);
        return new TrialSplit(below, weights(below.size()), above, aboveWeights);
    }

    static TrialSplit of(List<Trial> history, List<Assignment> pending, Goal goal) {
        return of(history, pending, goal, Integer.MAX_VALUE);
    }

    /** Indices of the best k trials (k is at most 25, so a bounded insertion beats sorting 10,000). */
    private static int[] best(List<Trial> history, Goal goal, int k) {
        int n = history.size();
        int[] status = new int[n];
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            Trial t = history.get(i);
            status[i] = t.status().ordinal();
            key[i] = t.status() == Trial.Status.FAILED ? 0 : goal.loss(t.value());
        }
        int[] top = new int[k];
        int size = 0;
        for (int i = 0; i < n && k > 0; i++) {
            if (size == k && !before(i, top[k - 1], status, key, history)) continue;
            int j = size == k ? k - 1 : size++;
            while (j > 0 && before(i, top[j - 1], status, key, history)) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = i;
        }
        return Arrays.copyOf(top, size);
    }

    /** Whether trial a ranks strictly before trial b (ties go to the older trial, b < a never swaps). */
    private static boolean before(int a, int b, int[] status, double[] key, List<Trial> history) {
        if (status[a] != status[b]) return status[a] < status[b];
        if (status[a] == Trial.Status.PRUNED.ordinal()) {
            int ea = history.get(a).epochs(), eb = history.get(b).epochs();
            if (ea != eb) return ea > eb;
        }
        int c = Double.compare(key[a], key[b]);
        return c != 0 ? c < 0 : a < b;
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
