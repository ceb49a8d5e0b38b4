package trainwatch.train;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * State and step of {@link ClassicMomentum}. DL4J subtracts what
 * {@link #applyUpdater} leaves in the gradient array, so the update left
 * there is {@code -v}.
 */
final class ClassicMomentumUpdater implements GradientUpdater<ClassicMomentum> {
    static final String V_STATE = "V";

    private final ClassicMomentum config;
    private INDArray v;

    ClassicMomentumUpdater(ClassicMomentum config) {
        this.config = config;
    }

    @Override
    public ClassicMomentum getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        INDArray state = stateMap.get(V_STATE);
        if (state == null || stateMap.size() != 1)
            throw new IllegalStateException("classic momentum expects exactly one state array " + V_STATE + ", got " + stateMap.keySet());
        v = state;
        if (initialize) v.assign(0);
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of(V_STATE, v);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) viewArray.assign(0);
        v = viewArray;
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (v == null) throw new IllegalStateException("classic momentum updater has no state array");
        double lr = config.getLearningRate(iteration, epoch);
        if (!java.util.Arrays.equals(gradient.shape(), v.shape()))
            throw new IllegalStateException("gradient shape " + java.util.Arrays.toString(gradient.shape())
                    + " differs from state shape " + java.util.Arrays.toString(v.shape()));
        v.muli(config.getMomentum()).subi(gradient.mul(lr));
        gradient.assign(v).negi();
    }
}
