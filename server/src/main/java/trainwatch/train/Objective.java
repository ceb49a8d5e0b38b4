package trainwatch.train;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The training objective of a network on one fixed batch, as a function of its
 * flat parameter vector: value and gradient that agree with each other.
 *
 * DL4J's computeGradientAndScore() returns a score that is averaged over the
 * batch and includes the regularization term, but a gradient that is summed
 * over the batch and has no regularization part (its updater divides and adds
 * l2 later). This class applies those two steps itself so that the gradient
 * really is the derivative of the score.
 */
public final class Objective {
    private final MultiLayerNetwork net;
    private DataSet batch;
    private final boolean withRegularization;
    private long evaluations;

    public Objective(MultiLayerNetwork net, DataSet batch, boolean withRegularization) {
        this.net = net;
        this.batch = batch;
        this.withRegularization = withRegularization;
    }

    public MultiLayerNetwork net() {
        return net;
    }

    public DataSet batch() {
        return batch;
    }

    /** Swaps in the same examples in another order (a trainer reshuffling its one full batch): the function is unchanged. */
    public void setBatch(DataSet batch) {
        this.batch = batch;
    }

    /** The network's flat parameters (a live view: writing it changes the network). */
    public INDArray params() {
        return net.params();
    }

    /** How many forward+backward passes this objective has run. */
    public long evaluations() {
        return evaluations;
    }

    /** Loss at the network's current parameters; fills {@link #gradient()}. */
    public double evaluate() {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        evaluations++;
        double score = net.score();
        if (!withRegularization) score -= net.calcRegularizationScore(true);
        adjustGradient();
        return score;
    }

    /** Loss and gradient at {@code x} (copied into the network first). */
    public double evaluate(INDArray x) {
        net.setParams(x);
        return evaluate();
    }

    /** The flat gradient of the last {@link #evaluate()} (same layout as {@link #params()}; reused by the next call). */
    public INDArray gradient() {
        INDArray g = net.getFlattenedGradients();
        INDArray p = net.params();
        return java.util.Arrays.equals(g.shape(), p.shape()) ? g : g.reshape(p.shape());
    }

    private void adjustGradient() {
        boolean miniBatch = net.getLayerWiseConfigurations().getConf(0).isMiniBatch();
        long n = batch.getFeatures().size(0);
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        if (miniBatch && n > 1) net.getFlattenedGradients().divi(n);
        if (!withRegularization) return;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            if (!(layer.conf().getLayer() instanceof BaseLayer conf)) continue;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                List<Regularization> regs = conf.getRegularizationByParam(p.getKey());
                INDArray g = grads.get(i + "_" + p.getKey());
                if (regs == null || g == null) continue;
                // lr 1: the regularization's own gradient, not a learning-rate-scaled step
                for (Regularization r : regs) r.apply(p.getValue(), g, 1.0, 0, 0);
            }
        }
    }
}
