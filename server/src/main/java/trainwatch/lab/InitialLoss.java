package trainwatch.lab;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import trainwatch.train.Losses;
import trainwatch.event.CheckOutcome;

/**
 * CS231n's first sanity check on a freshly initialized network: a C-class
 * softmax should start near ln(C) on its data loss. The same rule and
 * tolerance as the trainer's step-0 check, but on any network and batch, so a
 * check process (and a test with a deliberately broken init) can run it.
 */
public final class InitialLoss {
    public static final double TOLERANCE = 0.25;

    public record Result(CheckOutcome outcome, double loss, double expected, int classes, String summary) {
        public Map<String, Object> details() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", loss);
            m.put("expected", expected);
            m.put("classes", classes);
            m.put("tolerance", TOLERANCE);
            return m;
        }
    }

    private InitialLoss() {}

    public static Result of(MultiLayerNetwork net, DataSet batch) {
        int classes = (int) batch.getLabels().size(1);
        // recomputed from the output, not DL4J's score minus DL4J's own reg part: a check must not grade DL4J against itself
        return judge(Losses.dataLoss(net, batch), classes);
    }

    public static Result judge(double dataLoss, int classes) {
        double expected = Math.log(classes);
        boolean ok = Math.abs(dataLoss - expected) <= TOLERANCE;
        String summary = String.format(Locale.ROOT, "initial data loss %.4f vs ln(%d) = %.4f (%s %.2f)%s", dataLoss, classes, expected,
                ok ? "within" : "not within", TOLERANCE, ok ? "" : ": suspect the initialization scale, the loss or the labels");
        return new Result(ok ? CheckOutcome.PASS : CheckOutcome.WARN, dataLoss, expected, classes, summary);
    }
}
