package trainwatch.lab;

import java.util.Arrays;

/**
 * (step, value) points of a long series in bounded memory: when full, every
 * other point is dropped and the sampling stride doubles, so a run of
 * millions of steps keeps a few thousand evenly spread points.
 */
final class SmoothedHistory {
    private final long[] steps;
    private final double[] values;
    private int size;
    private long stride = 1;
    private long next;

    SmoothedHistory(int capacity) {
        steps = new long[capacity];
        values = new double[capacity];
    }

    void add(long step, double value) {
        if (step < next) return;
        if (size == steps.length) halve();
        steps[size] = step;
        values[size] = value;
        size++;
        next = step + stride;
    }

    private void halve() {
        int j = 0;
        for (int i = 0; i < size; i += 2) {
            steps[j] = steps[i];
            values[j] = values[i];
            j++;
        }
        size = j;
        stride *= 2;
    }

    /** The value of the newest point at or before {@code step}, NaN when there is none. */
    double valueAt(long step) {
        int i = Arrays.binarySearch(steps, 0, size, step);
        if (i < 0) i = -i - 2;
        return i < 0 ? Double.NaN : values[i];
    }
}
