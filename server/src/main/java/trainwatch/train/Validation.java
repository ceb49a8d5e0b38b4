package trainwatch.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * val_loss (data loss only: mean cross-entropy, probabilities clipped at 1e-10
 * like DL4J's MCXENT) and val_acc on the validation split, in inference mode
 * (no dropout), in chunks so a CNN's activations stay small.
 */
final class Validation {
    static final int CHUNK = 500;
    static final double CLIP = 1e-10;

    private final INDArray[] chunks;
    private final int[] y;
    private final int classes;

    Validation(float[] x, int[] y, int features, int classes) {
        this.y = y;
        this.classes = classes;
        int n = y.length;
        chunks = new INDArray[(n + CHUNK - 1) / CHUNK];
        for (int c = 0; c < chunks.length; c++) {
            int from = c * CHUNK;
            int m = Math.min(CHUNK, n - from);
            float[] part = new float[m * features];
            System.arraycopy(x, from * features, part, 0, part.length);
            chunks[c] = Nd4j.create(part, new long[] {m, features}, 'c');
        }
    }

    boolean isEmpty() {
        return y.length == 0;
    }

    /** {val_loss, val_acc}; NaN/Inf pass through as they are. */
    double[] evaluate(MultiLayerNetwork net) {
        double lossSum = 0;
        int correct = 0;
        int e = 0;
        for (INDArray chunk : chunks) {
            float[] p = net.output(chunk, false).dup('c').data().asFloat();
            int m = (int) chunk.size(0);
            for (int i = 0; i < m; i++, e++) {
                int base = i * classes;
                int best = 0;
                for (int k = 1; k < classes; k++) if (p[base + k] > p[base + best]) best = k;
                if (best == y[e]) correct++;
                double py = p[base + y[e]];
                lossSum -= Math.log(Double.isNaN(py) ? py : Math.min(Math.max(py, CLIP), 1 - CLIP));
            }
        }
        return new double[] {lossSum / y.length, (double) correct / y.length};
    }
}
