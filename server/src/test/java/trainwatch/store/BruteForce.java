package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The scalars route computed the obvious way from every point: what Series must equal. */
final class BruteForce {
    record Point(long step, double value) {}

    private BruteForce() {}

    static Series series(String tag, List<Point> all, int points, long from, long to) {
        List<Point> in = new ArrayList<>();
        for (Point p : all) if (p.step >= from && p.step <= to) in.add(p);
        int n = in.size();
        if (n <= points) {
            long[] s = new long[n];
            double[] v = new double[n];
            int[] nf = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = in.get(i).step;
                v[i] = in.get(i).value;
                nf[i] = Double.isFinite(v[i]) ? 0 : 1;
            }
            return new Series(tag, 0, n, s, v, v.clone(), v.clone(), nf);
        }
        long lo = in.get(0).step, hi = in.get(n - 1).step, span = hi - lo + 1;
        List<long[]> steps = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < points; i++) {
            long e0 = edge(lo, span, i, points), e1 = edge(lo, span, i + 1, points);
            long cnt = 0, nonfinite = 0, lastStep = 0;
            double min = Double.NaN, max = Double.NaN, last = Double.NaN;
            while (j < n && in.get(j).step < e1) {
                Point p = in.get(j++);
                if (p.step < e0) throw new AssertionError("points out of order");
                cnt++;
                lastStep = p.step;
                last = p.value;
                if (Double.isFinite(p.value)) {
                    min = Double.isNaN(min) ? p.value : Math.min(min, p.value);
                    max = Double.isNaN(max) ? p.value : Math.max(max, p.value);
                } else {
                    nonfinite++;
                }
            }
            if (cnt > 0) {
                steps.add(new long[] {lastStep, nonfinite});
                vals.add(new double[] {last, min, max});
            }
        }
        int k = steps.size();
        long[] s = new long[k];
        double[] last = new double[k], min = new double[k], max = new double[k];
        int[] nf = new int[k];
        for (int i = 0; i < k; i++) {
            s[i] = steps.get(i)[0];
            nf[i] = (int) steps.get(i)[1];
            last[i] = vals.get(i)[0];
            min[i] = vals.get(i)[1];
            max[i] = vals.get(i)[2];
        }
        return new Series(tag, 0, n, s, last, min, max, nf);
    }

    private static long edge(long lo, long span, int i, int points) {
        return lo + BigInteger.valueOf(span).multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(points)).longValueExact();
    }

    static void assertSame(Series want, Series got, String what) {
        assertEquals(want.total(), got.total(), what + ": total");
        assertArrayEquals(want.step(), got.step(), what + ": step");
        assertArrayEquals(want.last(), got.last(), what + ": last");
        assertArrayEquals(want.min(), got.min(), what + ": min");
        assertArrayEquals(want.max(), got.max(), what + ": max");
        assertArrayEquals(want.nonfinite(), got.nonfinite(), what + ": nonfinite");
    }
}
