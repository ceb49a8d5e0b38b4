package trainwatch.lab;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A planted backprop bug: tanh forward, but its backward pass is off by a constant factor. */
public class ScaledBackpropTanh extends BaseActivationFunction {
    private final double factor;
    private final ActivationTanH tanh = new ActivationTanH();

    public ScaledBackpropTanh() {
        this(1.0);
    }

    public ScaledBackpropTanh(double factor) {
        this.factor = factor;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return tanh.getActivation(in, training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        Pair<INDArray, INDArray> p = tanh.backprop(in, epsilon);
        p.getFirst().muli(factor);
        return p;
    }

    @Override
    public String toString() {
        return "scaledBackpropTanh(" + factor + ")";
    }
}
