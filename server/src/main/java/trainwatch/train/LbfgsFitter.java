package trainwatch.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Runs one L-BFGS iteration where a trainer would call {@code net.fit(batch)},
 * and tells the network's training listeners about it the way DL4J's own fit
 * does, so a run optimized by L-BFGS records the same metrics as any other:
 * onForwardPass with the activations at the current point (every layer's
 * output but the output layer's), onGradientCalculation while the parameters
 * are still the old ones, then iterationDone with score() = the loss before
 * the step, the gradient view holding the applied update (old minus new
 * parameters: inside iterationDone DL4J's gradient view holds the applied update) and the learning rate set to the accepted step
 * length. The line search's own evaluations run with the listeners detached.
 * Full batch only: every call must pass the same examples (in any order).
 */
public final class LbfgsFitter {
    private final MultiLayerNetwork net;
    private final Lbfgs.Options options;
    private Objective objective;
    private Lbfgs lbfgs;

    public LbfgsFitter(MultiLayerNetwork net) {
        this(net, Lbfgs.Options.defaults());
    }

    public LbfgsFitter(MultiLayerNetwork net, Lbfgs.Options options) {
        for (int i = 0; i < net.getnLayers(); i++)
            if (net.getLayer(i).conf().getLayer().getIDropout() != null)
                throw new IllegalArgumentException("lbfgs needs a deterministic objective: set dropout to 0");
        this.net = net;
        this.options = options;
    }

    public Lbfgs.Step fit(DataSet batch) {
        if (lbfgs == null) {
            objective = new Objective(net, batch, true);
            lbfgs = new Lbfgs(objective, options);
        }
        objective.setBatch(batch);
        Collection<TrainingListener> listeners = new ArrayList<>(net.getListeners());
        net.setListeners(new ArrayList<>());
        try {
            List<INDArray> acts = net.feedForward(batch.getFeatures(), false);
            List<INDArray> seenInTraining = acts.subList(0, acts.size() - 1);
            for (TrainingListener l : listeners) l.onForwardPass(net, seenInTraining);
            for (TrainingListener l : listeners) l.onGradientCalculation(net);
            INDArray before = net.params().dup();
            Lbfgs.Step step = lbfgs.step();
            INDArray update = before.subi(net.params());
            INDArray grad = net.getFlattenedGradients();
            grad.assign(update.reshape(grad.shape()));
            net.setScore(step.lossBefore());
            setStepLength(step.stepSize());
            int iteration = net.getIterationCount();
            for (TrainingListener l : listeners) l.iterationDone(net, iteration, net.getEpochCount());
            net.setIterationCount(iteration + 1);
            return step;
        } finally {
            net.setListeners(listeners);
        }
    }

    /** lr/<layer> of an L-BFGS run is the accepted step length along the quasi-Newton direction. */
    private void setStepLength(double alpha) {
        try {
            net.setLearningRate(alpha);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // an updater without a learning rate (NoOp): lr/<layer> then reads as that updater reports it
        }
    }
}
