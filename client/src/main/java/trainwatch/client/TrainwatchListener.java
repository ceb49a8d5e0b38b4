package trainwatch.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J {@code TrainingListener} that sends a run to a trainwatch server with the tags trainwatch records
 * for its own runs: {@code loss} (the score being optimized), {@code reg_loss} (when the network is
 * regularized), {@code train_acc} (a MultiLayerNetwork with a dense/softmax output and labels: from the
 * training forward pass, no second pass), {@code lr/<layer>}, {@code update_ratio/<layer>} (||applied
 * update of W|| / ||W before||), {@code examples_per_sec}, and the first layer's weights every
 * {@code filtersEvery} steps when they are images (conv). It replaces DL4J's UIServer + StatsListener:
 * <pre>{@code
 * TrainwatchListener tw = new TrainwatchListener("http://gpu-box:7070", "lenet-adam");
 * net.setListeners(tw);
 * net.fit(train, 5);
 * tw.finish();
 * }</pre>
 * Sending happens on the client's own thread; the listener only reads numbers DL4J already holds.
 * A stop asked for on the dashboard ends fit by throwing {@link TrainwatchStopException} (after the run
 * is recorded as stopped).
 */
public class TrainwatchListener extends BaseTrainingListener implements AutoCloseable {
    private final TrainwatchClient client;
    private final int filtersEvery;
    private String[] names;
    private Layer[] layers;
    private String[] lrTags;
    private String[] ratioTags;
    private double[] weightNormBefore;
    private double regScore;
    private boolean withReg;
    private double trainAcc = Double.NaN;
    private long lastIterationNanos;
    private boolean stopped;

    /** How the run's page names this client. */
    static final String CLIENT = "trainwatch-java (DL4J listener)";

    public TrainwatchListener(String url, String name) {
        this(TrainwatchClient.builder(url, name).clientName(CLIENT).start(), 25);
    }

    public TrainwatchListener(String url, String name, String token) {
        this(TrainwatchClient.builder(url, name).token(token).clientName(CLIENT).start(), 25);
    }

    /** A listener sending through a client set up with {@link TrainwatchClient#builder}; filter snapshots every {@code filtersEvery} steps (0: never). */
    public TrainwatchListener(TrainwatchClient client, int filtersEvery) {
        this.client = client;
        this.filtersEvery = filtersEvery;
    }

    public TrainwatchClient client() {
        return client;
    }

    private void resolve(Model model) {
        if (names != null) return;
        List<String> n = new ArrayList<>();
        List<Layer> l = new ArrayList<>();
        Layer[] all = model instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) model).getLayers();
        for (int i = 0; i < all.length; i++) {
            Layer layer = all[i];
            if (layer.numParams() == 0 || !layer.paramTable().containsKey("W")) continue;
            String name = layer.conf().getLayer().getLayerName();
            n.add(name == null ? "layer" + i : name);
            l.add(layer);
        }
        names = n.toArray(String[]::new);
        layers = l.toArray(Layer[]::new);
        lrTags = new String[names.length];
        ratioTags = new String[names.length];
        for (int j = 0; j < names.length; j++) {
            lrTags[j] = "lr/" + names[j];
            ratioTags[j] = "update_ratio/" + names[j];
        }
        weightNormBefore = new double[names.length];
    }

    @Override
    public void onEpochStart(Model model) {
        if (lastIterationNanos == 0) lastIterationNanos = System.nanoTime();
    }

    /** Train accuracy from the training forward pass: the output layer's input times W plus b, argmax, against the labels. */
    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        trainAcc = Double.NaN;
        if (!(model instanceof MultiLayerNetwork net) || activations.isEmpty()) return;
        try {
            INDArray labels = net.getLabels();
            Layer out = net.getOutputLayer();
            if (labels == null || labels.rank() != 2 || !out.paramTable().containsKey("W") || !out.paramTable().containsKey("b")) return;
            INDArray h = activations.get(activations.size() - 1);
            if (h.rank() > 2) h = h.reshape('c', h.size(0), h.length() / h.size(0));
            INDArray w = out.getParam("W");
            if (h.size(1) != w.size(0)) return;
            INDArray logits = h.mmul(w).addiRowVector(out.getParam("b"));
            if (!Double.isFinite(logits.sumNumber().doubleValue())) return;
            long[] predicted = logits.argMax(1).toLongVector();
            long[] truth = labels.argMax(1).toLongVector();
            int n = Math.min(predicted.length, truth.length), correct = 0;
            for (int i = 0; i < n; i++) if (predicted[i] == truth[i]) correct++;
            trainAcc = n == 0 ? Double.NaN : (double) correct / n;
        } catch (RuntimeException e) {
            trainAcc = Double.NaN; // an output layer this shortcut does not fit: no train_acc, never a wrong one
        }
    }

    /** Before the updater runs: ||W|| of every layer, the regularization score, and (every filtersEvery steps) the first layer's weights. */
    @Override
    public void onGradientCalculation(Model model) {
        resolve(model);
        for (int j = 0; j < layers.length; j++) weightNormBefore[j] = norm(layers[j].getParam("W"));
        regScore = model instanceof MultiLayerNetwork m ? m.calcRegularizationScore(true) : ((ComputationGraph) model).calcRegularizationScore(true);
        if (regScore > 0) withReg = true;
        long step = iteration(model);
        if (filtersEvery > 0 && step % filtersEvery == 0 && layers.length > 0) {
            INDArray w = layers[0].getParam("W");
            if (w.rank() == 4)
                client.logFilters(step, new int[] {(int) w.size(0), (int) w.size(1), (int) w.size(2), (int) w.size(3)}, w.dup('c').data().asFloat());
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        resolve(model);
        long now = System.nanoTime();
        double seconds = lastIterationNanos == 0 ? Double.NaN : (now - lastIterationNanos) / 1e9;
        lastIterationNanos = now;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("loss", model.score());
        if (withReg) v.put("reg_loss", regScore);
        if (!Double.isNaN(trainAcc)) v.put("train_acc", trainAcc);
        Gradient g = model.gradient();
        for (int j = 0; j < layers.length; j++) {
            Double lr = model instanceof MultiLayerNetwork m ? m.getLearningRate(layers[j].getIndex())
                    : ((ComputationGraph) model).getLearningRate(names[j]);
            v.put(lrTags[j], lr == null ? Double.NaN : lr);
        }
        for (int j = 0; j < layers.length; j++) {
            INDArray u = g == null ? null : g.getGradientFor(key(model, j));
            double w = weightNormBefore[j];
            v.put(ratioTags[j], u == null ? Double.NaN : Double.isFinite(w) ? norm(u) / w : w);
        }
        int batch = model.batchSize();
        if (batch > 0 && seconds > 0) v.put("examples_per_sec", batch / seconds);
        client.log(iteration, v);
        trainAcc = Double.NaN;
        if (client.stopRequested() && !stopped) {
            stopped = true;
            client.finish("stopped", "stopped on request (from the dashboard)");
            throw new TrainwatchStopException(client.runId());
        }
    }

    private String key(Model model, int j) {
        return model instanceof MultiLayerNetwork ? layers[j].getIndex() + "_W" : names[j] + "_W";
    }

    private static long iteration(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getIterationCount() : ((ComputationGraph) model).getIterationCount();
    }

    /** ||a||, recomputed in double only when a float norm overflows (so Inf/NaN means the array really holds them). */
    private static double norm(INDArray a) {
        double n = a.norm2Number().doubleValue();
        if (Double.isFinite(n) || a.dataType() == DataType.DOUBLE) return n;
        return a.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    }

    /** Ends the run as finished and waits for delivery (the client's finish timeout). */
    public boolean finish() {
        return finish("finished");
    }

    public boolean finish(String status) {
        if (stopped) return client.awaitDelivered(0);
        return client.finish(status);
    }

    /** Finishes the run (unless it already has a final status) and closes the client. */
    @Override
    public void close() {
        if (!stopped) client.finish("finished");
        client.close();
    }
}
