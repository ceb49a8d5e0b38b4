package trainwatch.ensemble;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Prediction averaging on plain arrays (no ND4J): probabilities are row-major [examples][classes].
 * Loss is the mean cross-entropy with probabilities clipped to [1e-10, 1 - 1e-10] (as the trainer's
 * val_loss and DL4J's MCXENT), accuracy the share of argmax hits (the first of equal maxima).
 */
public final class EnsembleMath {
    static final double CLIP = 1e-10;

    private EnsembleMath() {}

    public record Score(double acc, double loss) {}

    public static Score score(double[] p, int[] y, int classes) {
        int correct = 0;
        double loss = 0;
        for (int i = 0; i < y.length; i++) {
            if (argmax(p, i, classes) == y[i]) correct++;
            double py = p[i * classes + y[i]];
            loss -= Math.log(Double.isNaN(py) ? py : Math.min(Math.max(py, CLIP), 1 - CLIP));
        }
        return new Score((double) correct / y.length, loss / y.length);
    }

    /** The element-wise mean of the first {@code k} members' probabilities, summed in member order. */
    public static double[] mean(List<double[]> members, int k) {
        double[] out = new double[members.get(0).length];
        for (int m = 0; m < k; m++) {
            double[] p = members.get(m);
            for (int i = 0; i < out.length; i++) out[i] += p[i];
        }
        for (int i = 0; i < out.length; i++) out[i] /= k;
        return out;
    }

    public static int argmax(double[] p, int example, int classes) {
        int base = example * classes, best = 0;
        for (int c = 1; c < classes; c++) if (p[base + c] > p[base + best]) best = c;
        return best;
    }

    public static int[] predictions(double[] p, int classes) {
        int n = p.length / classes;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = argmax(p, i, classes);
        return out;
    }

    /** The mean over member pairs of the share of examples on which the two predict different classes (0 for one member). */
    public static double disagreement(List<int[]> predictions) {
        int k = predictions.size();
        if (k < 2) return 0;
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++, pairs++) {
                int[] x = predictions.get(a), y = predictions.get(b);
                int differ = 0;
                for (int i = 0; i < x.length; i++) if (x[i] != y[i]) differ++;
                sum += (double) differ / x.length;
            }
        return sum / pairs;
    }

    /** Member indices by their own accuracy, best first (the earlier of equals first): the members-added order. */
    public static List<Integer> byAccuracy(double[] memberAcc) {
        return new ArrayList<>(IntStream.range(0, memberAcc.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -memberAcc[i]).thenComparingInt(i -> i)).toList());
    }

    /** The ensemble of the first 1, 2, ..., k members in {@code order}: one score per size. */
    public static List<Score> curve(List<double[]> members, List<Integer> order, int[] y, int classes) {
        List<Score> out = new ArrayList<>();
        double[] sum = new double[members.get(0).length];
        double[] avg = new double[sum.length];
        for (int k = 1; k <= order.size(); k++) {
            double[] p = members.get(order.get(k - 1));
            for (int i = 0; i < sum.length; i++) sum[i] += p[i];
            for (int i = 0; i < sum.length; i++) avg[i] = sum[i] / k;
            out.add(score(avg, y, classes));
        }
        return out;
    }
}
