package trainwatch.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import trainwatch.event.CheckOutcome;

/**
 * "Overfit a tiny subset" (docs/lab.md): train on a handful of
 * examples, no regularization, no dropout, until training accuracy is 100%
 * and the loss is below a target, or an iteration / time cap is hit. If a
 * model cannot do this, nothing else about its training matters yet.
 */
public final class OverfitCheck {
    public record Options(int maxIterations, double lossTarget, long timeLimitMs, int evalEvery) {
        public static Options defaults() {
            return new Options(2000, 0.01, 300_000, 5);
        }
    }

    /** steps/losses/accuracies: the curve at every evaluation (at most a few hundred points). */
    public record Result(CheckOutcome outcome, long iterations, double initialLoss, double loss, double accuracy, int examples,
                         double lossTarget, String summary, long[] steps, double[] losses, double[] accuracies) {}

    private final Options options;
    private final LongSupplier clockMs;

    public OverfitCheck(Options options) {
        this(options, System::currentTimeMillis);
    }

    OverfitCheck(Options options, LongSupplier clockMs) {
        this.options = options;
        this.clockMs = clockMs;
    }

    /**
     * @param net  the run's model built for this check (l2 and dropout off)
     * @param tiny the examples to overfit (one full batch)
     * @param step one training iteration on a batch ({@code net::fit}, or an L-BFGS step)
     */
    public Result run(MultiLayerNetwork net, DataSet tiny, Consumer<DataSet> step) {
        long start = clockMs.getAsLong();
        int n = tiny.numExamples();
        double initial = net.score(tiny, false);
        List<Long> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> accs = new ArrayList<>();
        double loss = initial, acc = accuracy(net, tiny);
        record(steps, losses, accs, 0, loss, acc);
        long it = 0;
        boolean reached = reached(loss, acc);
        boolean timedOut = false;
        while (!reached && it < options.maxIterations()) {
            step.accept(tiny);
            it++;
            if (it % options.evalEvery() == 0 || it == options.maxIterations()) {
                loss = net.score(tiny, false);
                acc = accuracy(net, tiny);
                record(steps, losses, accs, it, loss, acc);
                reached = reached(loss, acc);
                if (!Double.isFinite(loss)) break;
                if (clockMs.getAsLong() - start > options.timeLimitMs()) {
                    timedOut = !reached;
                    break;
                }
            }
        }
        String summary;
        if (reached) {
            summary = String.format(Locale.ROOT, "overfit %d examples in %d iterations: train accuracy %.2f, loss %.4g < %.2g",
                    n, it, acc, loss, options.lossTarget());
        } else {
            String why = !Double.isFinite(loss) ? "the loss became " + loss
                    : timedOut ? "time limit of " + options.timeLimitMs() / 1000 + " s reached" : "iteration cap reached";
            summary = String.format(Locale.ROOT, "could not overfit %d examples in %d iterations (%s): train accuracy %.2f (needs 1.00), loss %.4g (needs < %.2g)",
                    n, it, why, acc, loss, options.lossTarget());
        }
        return new Result(reached ? CheckOutcome.PASS : CheckOutcome.FAIL, it, initial, loss, acc, n, options.lossTarget(), summary,
                steps.stream().mapToLong(Long::longValue).toArray(),
                losses.stream().mapToDouble(Double::doubleValue).toArray(),
                accs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private boolean reached(double loss, double acc) {
        return acc >= 1.0 && loss < options.lossTarget();
    }

    private static void record(List<Long> steps, List<Double> losses, List<Double> accs, long it, double loss, double acc) {
        steps.add(it);
        losses.add(loss);
        accs.add(acc);
    }

    /** Fraction of examples whose most probable class is the labelled one. */
    static double accuracy(MultiLayerNetwork net, DataSet d) {
        INDArray out = net.output(d.getFeatures(), false);
        long[] predicted = out.argMax(1).toLongVector();
        long[] truth = d.getLabels().argMax(1).toLongVector();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == truth[i]) correct++;
        return predicted.length == 0 ? 0 : (double) correct / predicted.length;
    }
}
