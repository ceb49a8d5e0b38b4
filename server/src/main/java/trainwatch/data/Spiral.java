package trainwatch.data;

import java.util.Random;

/**
 * CS231n's 2-D, 3-class spiral: for class j, n points with radius
 * r = linspace(0, 1, n) and angle t = linspace(4j, 4(j+1), n) + N(0, 0.2),
 * at (r sin t, r cos t). The validation split is drawn the same way with its
 * own random stream. Points are shuffled (seeded) so minibatches mix classes.
 */
public final class Spiral {
    public static final int CLASSES = 3;
    static final double NOISE = 0.2;

    private Spiral() {}

    public static Dataset generate(int trainSize, int valSize, long seed) {
        float[] trainX = new float[trainSize * 2];
        int[] trainY = new int[trainSize];
        fill(trainX, trainY, new Random(seed));
        float[] valX = new float[valSize * 2];
        int[] valY = new int[valSize];
        fill(valX, valY, new Random(Seeds.mix(seed, 1)));
        return new Dataset("spiral", CLASSES, new int[] {2}, trainX, trainY, valX, valY);
    }

    private static void fill(float[] x, int[] y, Random rnd) {
        int total = y.length;
        float[] px = new float[total * 2];
        int[] py = new int[total];
        int i = 0;
        for (int j = 0; j < CLASSES; j++) {
            int n = total / CLASSES + (j < total % CLASSES ? 1 : 0);
            for (int k = 0; k < n; k++, i++) {
                double frac = n == 1 ? 0 : (double) k / (n - 1);
                double r = frac;
                double t = 4.0 * j + 4.0 * frac + rnd.nextGaussian() * NOISE;
                px[2 * i] = (float) (r * Math.sin(t));
                px[2 * i + 1] = (float) (r * Math.cos(t));
                py[i] = j;
            }
        }
        int[] order = Seeds.permutation(total, rnd);
        for (int k = 0; k < total; k++) {
            x[2 * k] = px[2 * order[k]];
            x[2 * k + 1] = px[2 * order[k] + 1];
            y[k] = py[order[k]];
        }
    }
}
