package trainwatch.train;

import java.util.List;
import java.util.Random;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.data.Dataset;

/** Small generated datasets and config records for the trainer's tests. */
final class Fixtures {
    private Fixtures() {}

    /** CS231n's spiral: 3 arms of n points, radius 0..1, angle noise 0.2. */
    static Dataset spiral(int perClass, long seed) {
        float[] tx = new float[3 * perClass * 2];
        int[] ty = new int[3 * perClass];
        float[] vx = new float[3 * perClass * 2];
        int[] vy = new int[3 * perClass];
        spiralInto(tx, ty, perClass, new Random(seed));
        spiralInto(vx, vy, perClass, new Random(seed + 1));
        return new Dataset("spiral", 3, new int[] {2}, tx, ty, vx, vy);
    }

    private static void spiralInto(float[] x, int[] y, int n, Random r) {
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                int e = k * n + i;
                double radius = (double) i / (n - 1);
                double t = k * 4 + 4.0 * i / (n - 1) + r.nextGaussian() * 0.2;
                x[2 * e] = (float) (radius * Math.sin(t));
                x[2 * e + 1] = (float) (radius * Math.cos(t));
                y[e] = k;
            }
        }
    }

    /** 10 classes of 28x28 images in [0, 1]: one distinct shape per class, random place and size, noise. */
    static Dataset shapes(int train, int val, long seed) {
        Random r = new Random(seed);
        float[] tx = new float[train * 784];
        int[] ty = new int[train];
        float[] vx = new float[val * 784];
        int[] vy = new int[val];
        for (int i = 0; i < train; i++) ty[i] = drawShape(tx, i, i % 10, r);
        for (int i = 0; i < val; i++) vy[i] = drawShape(vx, i, i % 10, r);
        return new Dataset("shapes", 10, new int[] {1, 28, 28}, tx, ty, vx, vy);
    }

    private static int drawShape(float[] x, int e, int cls, Random r) {
        int off = e * 784;
        int s = 6 + r.nextInt(5);              // half size 6..10
        int cx = s + 1 + r.nextInt(28 - 2 * s - 2 + 1), cy = s + 1 + r.nextInt(28 - 2 * s - 2 + 1);
        for (int py = 0; py < 28; py++) {
            for (int px = 0; px < 28; px++) {
                double dx = px - cx, dy = py - cy, d = Math.hypot(dx, dy);
                boolean on = switch (cls) {
                    case 0 -> d <= s;                                                 // disc
                    case 1 -> Math.abs(d - s) < 1.2;                                  // ring
                    case 2 -> Math.abs(dx) <= s && Math.abs(dy) <= s;                 // filled square
                    case 3 -> Math.max(Math.abs(dx), Math.abs(dy)) > s - 1.5 && Math.max(Math.abs(dx), Math.abs(dy)) <= s; // square outline
                    case 4 -> Math.abs(dy) < 1.5 && Math.abs(dx) <= s;                // horizontal bar
                    case 5 -> Math.abs(dx) < 1.5 && Math.abs(dy) <= s;                // vertical bar
                    case 6 -> (Math.abs(dx) < 1.5 || Math.abs(dy) < 1.5) && Math.abs(dx) <= s && Math.abs(dy) <= s; // plus
                    case 7 -> (Math.abs(dx - dy) < 1.5 || Math.abs(dx + dy) < 1.5) && Math.abs(dx) <= s;          // x
                    case 8 -> dy >= -s && dy <= s && Math.abs(dx) <= (dy + s) / 2.0;  // triangle
                    default -> Math.abs(dx - dy) < 1.5 && Math.abs(dx) <= s;          // diagonal
                };
                float v = on ? 0.8f + 0.2f * r.nextFloat() : 0f;
                v += (float) (r.nextGaussian() * 0.05);
                x[off + py * 28 + px] = Math.min(1f, Math.max(0f, v));
            }
        }
        return cls;
    }

    /**
     * MNIST-shaped: 10 classes of 28x28 bytes / 255, mostly-black images with a
     * few bright strokes (about MNIST's ~19% lit pixels), the statistics the
     * initial loss depends on.
     */
    static Dataset mnistLike(int train, int val, long seed) {
        Random r = new Random(seed);
        float[] tx = new float[train * 784];
        int[] ty = new int[train];
        float[] vx = new float[val * 784];
        int[] vy = new int[val];
        for (int i = 0; i < train; i++) ty[i] = strokes(tx, i, r);
        for (int i = 0; i < val; i++) vy[i] = strokes(vx, i, r);
        return new Dataset("mnist", 10, new int[] {1, 28, 28}, tx, ty, vx, vy);
    }

    private static int strokes(float[] x, int e, Random r) {
        int cls = r.nextInt(10);
        int off = e * 784;
        double angle = cls * Math.PI / 10;
        for (int k = 0; k < 3; k++) {
            double x0 = 8 + r.nextInt(12), y0 = 4 + r.nextInt(4);
            for (int t = 0; t < 20; t++) {
                int px = (int) (x0 + t * Math.sin(angle + k)), py = (int) (y0 + t * Math.cos(angle));
                for (int w = 0; w < 2; w++) {
                    int qx = px + w;
                    if (qx >= 4 && qx < 24 && py >= 4 && py < 24) x[off + py * 28 + qx] = (128 + r.nextInt(128)) / 255f;
                }
            }
        }
        return cls;
    }

    static RunConfig mlp(String dataset, List<Integer> hidden, OptimizerConfig opt, int batchSize, int epochs, long seed) {
        return new RunConfig("test", dataset, new ModelConfig("mlp", hidden, 0, 0), opt, constant(),
                0, 0, batchSize, epochs, seed, 0, 0, 50, 25, 0);
    }

    static RunConfig cnn(OptimizerConfig opt, int batchSize, int epochs, long seed) {
        return new RunConfig("test", "shapes", new ModelConfig("cnn", List.of(64), 8, 5), opt, constant(),
                0, 0, batchSize, epochs, seed, 0, 0, 50, 25, 0);
    }

    static OptimizerConfig opt(String type, double lr) {
        return new OptimizerConfig(type, lr, 0.9, 0.9, 0.999, 1e-8, 0.95);
    }

    static ScheduleConfig constant() {
        return new ScheduleConfig("constant", 0, 0, "iteration", 0, 0, 0, 0);
    }
}
