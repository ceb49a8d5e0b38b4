package trainwatch.data;

import java.util.Random;

/** Seed helpers shared by the generated datasets. */
final class Seeds {
    private Seeds() {}

    /** A well-spread seed for stream {@code k} of {@code seed} (SplitMix64 finaliser), so train and validation never share numbers. */
    static long mix(long seed, long k) {
        long z = seed + 0x9E3779B97F4A7C15L * (k + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
