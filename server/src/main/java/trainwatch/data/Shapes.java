package trainwatch.data;

import java.util.Random;

/**
 * The embedded default dataset: seeded 28x28 grayscale drawings of 10
 * visually distinct shapes (names in {@link #CLASS_NAMES}) with random
 * position, size, thickness and brightness, plus Gaussian pixel noise,
 * clipped to [0, 1]. Classes are balanced (counts differ by at most one)
 * and shuffled; validation uses its own random stream.
 */
public final class Shapes {
    public static final String[] CLASS_NAMES = {
        "horizontal bar", "vertical bar", "square outline", "filled square", "circle",
        "cross", "diagonal", "triangle", "checker", "two dots"};
    static final int SIDE = Canvas.SIDE;
    static final double NOISE = 0.1;
    /**
     * Pixel noise N(0, NOISE) drawn from a fixed pool: Random.nextGaussian
     * (StrictMath, synchronized) took most of the generation time, and the
     * pool keeps the images bit-identical on every JVM.
     */
    private static final double[] NOISE_TABLE = noiseTable(1 << 16);

    private Shapes() {}

    public static Dataset generate(int trainSize, int valSize, long seed) {
        float[] trainX = new float[trainSize * SIDE * SIDE];
        int[] trainY = new int[trainSize];
        fill(trainX, trainY, new Random(Seeds.mix(seed, 10)));
        float[] valX = new float[valSize * SIDE * SIDE];
        int[] valY = new int[valSize];
        fill(valX, valY, new Random(Seeds.mix(seed, 11)));
        return new Dataset("shapes", CLASS_NAMES.length, new int[] {1, SIDE, SIDE}, trainX, trainY, valX, valY);
    }

    private static void fill(float[] x, int[] y, Random rnd) {
        int[] order = Seeds.permutation(y.length, rnd);
        for (int i = 0; i < y.length; i++) {
            int label = order[i] % CLASS_NAMES.length;
            y[i] = label;
            float[] img = draw(label, rnd);
            System.arraycopy(img, 0, x, i * SIDE * SIDE, SIDE * SIDE);
        }
    }

    /** One image of class {@code label}. */
    static float[] draw(int label, Random r) {
        Canvas c = new Canvas();
        float v = (float) uniform(r, 0.6, 1.0);
        double cx = 14 + uniform(r, -3, 3), cy = 14 + uniform(r, -3, 3);
        switch (label) {
            case 0 -> { // horizontal bar
                double half = uniform(r, 7, 11), t = uniform(r, 3, 5);
                c.rect(cx - half, cy - t / 2, cx + half, cy + t / 2, v);
            }
            case 1 -> { // vertical bar
                double half = uniform(r, 7, 11), t = uniform(r, 3, 5);
                c.rect(cx - t / 2, cy - half, cx + t / 2, cy + half, v);
            }
            case 2 -> { // square outline
                double half = uniform(r, 6, 10), b = uniform(r, 2, 3);
                c.rect(cx - half, cy - half, cx + half, cy + half, v);
                carve(c, cx, cy, half - b);
            }
            case 3 -> { // filled square
                double half = uniform(r, 4, 7);
                c.rect(cx - half, cy - half, cx + half, cy + half, v);
            }
            case 4 -> c.ring(cx, cy, uniform(r, 6, 10), uniform(r, 2, 3), v); // circle
            case 5 -> { // cross
                double arm = uniform(r, 6, 10), t = uniform(r, 2, 4);
                c.rect(cx - arm, cy - t / 2, cx + arm, cy + t / 2, v);
                c.rect(cx - t / 2, cy - arm, cx + t / 2, cy + arm, v);
            }
            case 6 -> { // diagonal, top-left to bottom-right
                double h = uniform(r, 6, 9);
                c.line(cx - h, cy - h, cx + h, cy + h, uniform(r, 2, 3.5), v);
            }
            case 7 -> c.triangle(cx, cy, uniform(r, 6, 10), uniform(r, 10, 16), v); // triangle
            case 8 -> { // checker: 4x4 cells
                double cell = uniform(r, 3, 4), x0 = cx - 2 * cell, y0 = cy - 2 * cell;
                c.fill((px, py) -> {
                    int i = (int) Math.floor((px - x0) / cell), j = (int) Math.floor((py - y0) / cell);
                    return i >= 0 && i < 4 && j >= 0 && j < 4 && (i + j) % 2 == 0;
                }, v);
            }
            case 9 -> { // two dots
                double d = uniform(r, 4, 8), a = uniform(r, 0, Math.PI), rad = uniform(r, 2, 3.5);
                c.disk(cx + d * Math.cos(a), cy + d * Math.sin(a), rad, v);
                c.disk(cx - d * Math.cos(a), cy - d * Math.sin(a), rad, v);
            }
            default -> throw new IllegalArgumentException("no shape class " + label);
        }
        for (int i = 0; i < c.px.length; i++)
            c.px[i] = (float) Math.min(1.0, Math.max(0.0, c.px[i] + NOISE_TABLE[r.nextInt() & (NOISE_TABLE.length - 1)]));
        return c.px;
    }

    /** Clears the inside of a square outline (drawing keeps the brighter value, so the hole is cut explicitly). */
    private static void carve(Canvas c, double cx, double cy, double inner) {
        for (int y = 0; y < SIDE; y++)
            for (int x = 0; x < SIDE; x++)
                if (Math.abs(x + 0.5 - cx) < inner && Math.abs(y + 0.5 - cy) < inner) c.px[y * SIDE + x] = 0f;
    }

    private static double[] noiseTable(int n) {
        Random r = new Random(0x5eed);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = r.nextGaussian() * NOISE;
        return t;
    }

    private static double uniform(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
