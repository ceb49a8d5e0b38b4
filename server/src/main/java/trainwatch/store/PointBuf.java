package trainwatch.store;

import java.util.Arrays;

/** A growable list of (step, value) points without boxing. */
final class PointBuf {
    long[] steps = new long[64];
    double[] values = new double[64];
    int size;

    void add(long step, double v) {
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        steps[size] = step;
        values[size++] = v;
    }

    /** Index of the first point with step >= s. */
    int lowerBound(long s) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps[mid] < s) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
