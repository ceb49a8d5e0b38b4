package trainwatch.store;

import java.util.List;

/**
 * Which filter snapshot to drop when there are too many: never the first or
 * the latest; otherwise the one whose removal leaves the smallest gap relative
 * to its age (latest - step). Repeated, this keeps gaps proportional to age:
 * recent snapshots dense, older ones spaced out geometrically.
 */
final class Thinning {
    private Thinning() {}

    /** Index into sorted {@code steps} of the snapshot to drop, or -1 when at most {@code keep} remain. */
    static int victim(List<Long> steps, int keep) {
        int n = steps.size();
        if (n <= Math.max(keep, 2)) return -1;
        long latest = steps.get(n - 1);
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 1; i < n - 1; i++) {
            double gap = (double) steps.get(i + 1) - steps.get(i - 1);
            double score = gap / (latest - steps.get(i) + 1.0);
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }
}
