package trainwatch.train;

import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Captures one training step's numbers from inside DL4J's fit (hot loop: only
 * reductions on arrays DL4J already holds, no second forward pass):
 * <ul>
 * <li>train accuracy from the training forward pass: the output layer's input
 * times its W plus b, argmax (softmax does not change the argmax);</li>
 * <li>||W|| of every weight matrix before the update and the regularization
 * part of the score, in onGradientCalculation (before the updater runs);</li>
 * <li>the score, ||applied update of W|| and the learning rate in
 * iterationDone, where the gradient view holds the applied update (after lr, momentum/Adam and l2: params before minus after match it to 3e-8).</li>
 * </ul>
 * The trainer reads the fields after fit returns; values are NaN/Inf as DL4J produced them.
 */
final class MetricsListener extends BaseTrainingListener {
    final int[] layerIndex;       // layers that own a W, in network order
    final String[] layerName;
    final double[] weightNormBefore;
    final double[] updateNorm;
    final double[] lr;
    private final boolean withReg;
    private int[] batchLabels = new int[0];

    double score = Double.NaN;
    double regScore;
    double trainAcc = Double.NaN;

    MetricsListener(MultiLayerNetwork net, boolean withReg) {
        int n = 0;
        for (Layer l : net.getLayers()) if (l.numParams() > 0) n++;
        layerIndex = new int[n];
        layerName = new String[n];
        int j = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayer(i);
            if (l.numParams() == 0) continue;
            layerIndex[j] = i;
            layerName[j] = l.conf().getLayer().getLayerName();
            j++;
        }
        weightNormBefore = new double[n];
        updateNorm = new double[n];
        lr = new double[n];
        this.withReg = withReg;
    }

    /** Labels of the batch about to be fitted (for train accuracy). */
    void setBatchLabels(int[] labels) {
        this.batchLabels = labels;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        INDArray h = activations.get(activations.size() - 1);
        if (h.rank() > 2) h = h.reshape('c', h.size(0), h.length() / h.size(0));
        Layer out = net.getOutputLayer();
        INDArray logits = h.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
        if (!Double.isFinite(logits.sumNumber().doubleValue())) {
            trainAcc = Double.NaN; // argmax over NaN logits is meaningless
            return;
        }
        long[] predicted = logits.argMax(1).toLongVector();
        int[] labels = batchLabels;
        int n = Math.min(predicted.length, labels.length);
        int correct = 0;
        for (int i = 0; i < n; i++) if (predicted[i] == labels[i]) correct++;
        trainAcc = n == 0 ? Double.NaN : (double) correct / n;
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        for (int j = 0; j < layerIndex.length; j++)
            weightNormBefore[j] = norm(net.getLayer(layerIndex[j]).getParam("W"));
        regScore = withReg ? net.calcRegularizationScore(true) : 0.0;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        score = net.score();
        Gradient g = net.gradient();
        for (int j = 0; j < layerIndex.length; j++) {
            updateNorm[j] = norm(g.getGradientFor(layerIndex[j] + "_W"));
            Double rate = net.getLearningRate(layerIndex[j]);
            lr[j] = rate == null ? Double.NaN : rate;
        }
    }

    /**
     * ||a||. A float norm overflows once elements pass ~1e19 although every
     * element is finite; only then is it recomputed in double, so Inf/NaN
     * here means the array really holds Inf/NaN.
     */
    static double norm(INDArray a) {
        double n = a.norm2Number().doubleValue();
        if (Double.isFinite(n) || a.dataType() == DataType.DOUBLE) return n;
        return a.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    }

    /** ||update|| / ||W before||; non-finite weights make it non-finite too (never a quiet 0). */
    double updateRatio(int j) {
        double w = weightNormBefore[j];
        return Double.isFinite(w) ? updateNorm[j] / w : w;
    }
}
