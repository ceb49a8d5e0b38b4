package trainwatch.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The loss of a network recomputed outside DL4J's scoring, so a check can
 * compare DL4J's number against it instead of against itself: softmax
 * cross-entropy from an inference forward pass (no dropout, l2 = 0), and the
 * l2 term from the weights as DL4J's L2Regularization defines it,
 * 0.5 * l2 * sum(W^2) over every layer's weight matrix (biases are not
 * regularized: the config's l2 goes to weights only).
 */
public final class Losses {
    /** DL4J's MCXENT clips probabilities here; the same clip keeps a saturated output comparable. */
    static final double PROB_FLOOR = 1e-10;

    private Losses() {}

    /** Mean over the batch of -ln p(label), in double, from the network's inference output. */
    public static double dataLoss(MultiLayerNetwork net, DataSet batch) {
        INDArray p = net.output(batch.getFeatures(), false).castTo(DataType.DOUBLE);
        INDArray y = batch.getLabels().castTo(DataType.DOUBLE);
        long n = p.size(0);
        if (n == 0) return Double.NaN;
        double[][] probs = p.toDoubleMatrix();
        double[][] labels = y.toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < probs.length; i++)
            for (int c = 0; c < probs[i].length; c++)
                if (labels[i][c] != 0) sum -= labels[i][c] * Math.log(Math.max(probs[i][c], PROB_FLOOR));
        return sum / n;
    }

    /** 0.5 * l2 * sum of squared weights ("W" of every layer that has one). */
    public static double l2Term(MultiLayerNetwork net, double l2) {
        double squares = 0;
        for (Layer layer : net.getLayers()) {
            INDArray w = layer.numParams() > 0 ? layer.getParam("W") : null;
            if (w == null) continue;
            double norm = w.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            squares += norm * norm;
        }
        return 0.5 * l2 * squares;
    }
}
