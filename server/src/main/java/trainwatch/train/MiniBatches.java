package trainwatch.train;

import java.util.Random;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain float arrays -> shuffled DL4J minibatches (features flattened per
 * example, one-hot labels). The last batch of an epoch may be smaller.
 * Public so the overhead benchmark's bare-DL4J arm feeds identical batches.
 */
public final class MiniBatches {
    private final float[] x;
    private final int[] y;
    private final int features;
    private final int classes;
    private final int batchSize;
    private final Random random;
    private final int[] order;

    public MiniBatches(float[] x, int[] y, int features, int classes, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1 (got " + batchSize + ")");
        if (y.length == 0) throw new IllegalArgumentException("the training split is empty");
        if ((long) y.length * features != x.length)
            throw new IllegalArgumentException("training data holds " + x.length + " floats, expected " + y.length + " x " + features);
        this.x = x;
        this.y = y;
        this.features = features;
        this.classes = classes;
        this.batchSize = batchSize;
        this.random = new Random(seed);
        this.order = new int[y.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
    }

    public int perEpoch() {
        return (y.length + batchSize - 1) / batchSize;
    }

    /** Starts an epoch: a fresh shuffle. */
    public void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
    }

    /** Batch {@code b} of the current epoch, with its labels as ints (for train accuracy). */
    public Batch batch(int b) {
        int from = b * batchSize;
        int n = Math.min(batchSize, y.length - from);
        float[] bx = new float[n * features];
        float[] by = new float[n * classes];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int e = order[from + i];
            System.arraycopy(x, e * features, bx, i * features, features);
            labels[i] = y[e];
            by[i * classes + y[e]] = 1f;
        }
        DataSet ds = new DataSet(Nd4j.create(bx, new long[] {n, features}, 'c'), Nd4j.create(by, new long[] {n, classes}, 'c'));
        return new Batch(ds, labels);
    }

    public record Batch(DataSet data, int[] labels) {}
}
