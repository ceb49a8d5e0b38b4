package trainwatch.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import trainwatch.event.CheckOutcome;
import trainwatch.train.Objective;

/**
 * Compares backprop's gradient with centered differences (f(x+h) - f(x-h)) / 2h
 * on a handful of parameters per tensor, first on the data loss alone, then
 * with the network's regularization, for several h. The network must be in
 * double precision with dropout off (see {@link GradientCheckModels}).
 */
public final class GradientCheck {
    /** Below this both gradients are rounding noise: the relative error means nothing there. */
    static final double NOISE_FLOOR = 1e-8;

    public record Options(double[] hs, int perTensor, long seed, int burnInSteps, double burnInLr) {
        public static Options defaults() {
            return new Options(new double[] {1e-4, 1e-5, 1e-6}, 5, 12345, 5, 0.05);
        }
    }

    private final Options options;

    public GradientCheck(Options options) {
        this.options = options;
    }

    /** Checks {@code net} on {@code data}; the network's parameters end where the burn-in left them. */
    public GradientReport run(MultiLayerNetwork net, DataSet data, double l2) {
        if (net.params().dataType() != DataType.DOUBLE)
            throw new IllegalArgumentException("gradient check needs a double-precision network, got " + net.params().dataType());
        DataSet batch = new DataSet(data.getFeatures().castTo(DataType.DOUBLE), data.getLabels().castTo(DataType.DOUBLE));
        burnIn(new Objective(net, batch, true));
        KinkProbe kinks = new KinkProbe(net, batch.getFeatures());
        Map<String, long[]> picks = pickIndices(net);
        List<GradientReport.Phase> phases = new ArrayList<>();
        phases.add(phase("data", 0.0, new Objective(net, batch, false), kinks, picks));
        if (l2 > 0) phases.add(phase("data+l2", l2, new Objective(net, batch, true), kinks, picks));
        return summarize(phases, kinks.hasKinks(), (int) batch.numExamples());
    }

    /** A few plain gradient steps so the check does not run in the odd regime of the very first iteration. */
    private void burnIn(Objective obj) {
        for (int i = 0; i < options.burnInSteps(); i++) {
            obj.evaluate();
            obj.params().subi(obj.gradient().mul(options.burnInLr()));
        }
    }

    private Map<String, long[]> pickIndices(MultiLayerNetwork net) {
        Random rnd = new Random(options.seed());
        Map<String, long[]> picks = new LinkedHashMap<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> p : net.getLayer(i).paramTable().entrySet()) {
                long n = p.getValue().length();
                long k = Math.min(n, options.perTensor());
                long[] idx = n <= options.perTensor() ? rangeOf(n) : rnd.longs(0, n).distinct().limit(k).sorted().toArray();
                picks.put(i + "_" + p.getKey(), idx);
            }
        }
        return picks;
    }

    private static long[] rangeOf(long n) {
        long[] r = new long[(int) n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private GradientReport.Phase phase(String name, double l2, Objective obj, KinkProbe kinks, Map<String, long[]> picks) {
        MultiLayerNetwork net = obj.net();
        obj.evaluate();
        Map<String, INDArray> analytic = new LinkedHashMap<>();
        // same ordering as the parameter view, so a linear index names the same element in both
        net.gradient().gradientForVariable().forEach((k, v) -> analytic.put(k, v.dup(v.ordering())));
        List<GradientReport.ByH> byH = new ArrayList<>();
        List<GradientReport.Entry> kinkEntries = new ArrayList<>();
        for (double h : options.hs()) {
            List<GradientReport.LayerErrors> layers = new ArrayList<>();
            for (int i = 0; i < net.getnLayers(); i++) {
                Layer layer = net.getLayer(i);
                if (layer.numParams() == 0) continue;
                List<GradientReport.Entry> entries = new ArrayList<>();
                for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                    String key = i + "_" + p.getKey();
                    for (long idx : picks.get(key))
                        entries.add(compare(obj, kinks, layerName(net, i), p.getKey(), p.getValue(), analytic.get(key), idx, h));
                }
                entries.stream().filter(GradientReport.Entry::kink).forEach(kinkEntries::add);
                layers.add(stats(layerName(net, i), h, entries, kinks.hasKinks()));
            }
            byH.add(new GradientReport.ByH(h, layers));
        }
        return new GradientReport.Phase(name, l2, byH, bestPerLayer(byH), kinkEntries);
    }

    private GradientReport.Entry compare(Objective obj, KinkProbe kinks, String layer, String param, INDArray view,
                                         INDArray analytic, long idx, double h) {
        double old = view.getDouble(idx);
        view.putScalar(idx, old + h);
        double plus = obj.evaluate();
        List<int[]> sigPlus = kinks.signature();
        view.putScalar(idx, old - h);
        double minus = obj.evaluate();
        List<int[]> sigMinus = kinks.signature();
        view.putScalar(idx, old);
        double a = analytic.getDouble(idx);
        double n = (plus - minus) / (2 * h);
        double rel = relativeError(a, n);
        boolean tiny = Math.max(Math.abs(a), Math.abs(n)) < NOISE_FLOOR && Math.abs(a - n) < NOISE_FLOOR;
        return new GradientReport.Entry(layer, param, idx, a, n, rel, !KinkProbe.same(sigPlus, sigMinus), tiny);
    }

    /** |a - n| / max(|a|, |n|), 0 when both are exactly 0 (the guarded denominator). */
    public static double relativeError(double a, double n) {
        double denom = Math.max(Math.abs(a), Math.abs(n));
        if (denom == 0) return 0;
        return Math.abs(a - n) / denom;
    }

    private static GradientReport.LayerErrors stats(String layer, double h, List<GradientReport.Entry> entries, boolean hasKinks) {
        int kinkCount = 0, tinyCount = 0;
        List<GradientReport.Entry> usable = new ArrayList<>();
        for (GradientReport.Entry e : entries) {
            if (e.kink()) kinkCount++;
            else if (e.tiny()) tinyCount++;
            else usable.add(e);
        }
        double[] rel = usable.stream().mapToDouble(GradientReport.Entry::relError).sorted().toArray();
        GradientReport.Entry worst = usable.stream().max((x, y) -> Double.compare(x.relError(), y.relError())).orElse(null);
        double max = rel.length == 0 ? (tinyCount > 0 ? 0 : Double.NaN) : rel[rel.length - 1];
        double median = rel.length == 0 ? max : median(rel);
        return new GradientReport.LayerErrors(layer, h, entries.size(), kinkCount, tinyCount, max, median, worst, Reading.of(max, hasKinks));
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** Each layer at the h where its worst error was lowest: too large an h adds truncation error, too small one cancellation. */
    private static List<GradientReport.LayerErrors> bestPerLayer(List<GradientReport.ByH> byH) {
        List<GradientReport.LayerErrors> best = new ArrayList<>(byH.get(0).layers());
        for (GradientReport.ByH b : byH.subList(1, byH.size())) {
            for (int i = 0; i < best.size(); i++) {
                GradientReport.LayerErrors cur = b.layers().get(i);
                if (better(cur.maxRelError(), best.get(i).maxRelError())) best.set(i, cur);
            }
        }
        return best;
    }

    private static boolean better(double x, double y) {
        return !Double.isNaN(x) && (Double.isNaN(y) || x < y);
    }

    private static GradientReport summarize(List<GradientReport.Phase> phases, boolean hasKinks, int examples) {
        CheckOutcome outcome = CheckOutcome.PASS;
        GradientReport.LayerErrors worst = null;
        String worstPhase = "";
        int kinkCount = 0;
        for (GradientReport.Phase p : phases) {
            kinkCount += p.kinkEntries().size();
            for (GradientReport.LayerErrors s : p.best()) {
                outcome = outcome.worse(s.reading().outcome);
                if (worst == null || better(worst.maxRelError(), s.maxRelError()) || Double.isNaN(s.maxRelError())) {
                    worst = s;
                    worstPhase = p.name();
                }
            }
        }
        String summary = worst == null ? "no parameters to check"
                : String.format(Locale.ROOT, "worst layer %s: max relative error %.2e (%s) on the %s loss at h=%.0e",
                        worst.layer(), worst.maxRelError(), worst.reading().text, worstPhase, worst.h());
        if (kinkCount > 0) summary += "; " + kinkCount + " checks straddled a kink (left out)";
        return new GradientReport(phases, hasKinks, examples, outcome, summary);
    }

    static String layerName(MultiLayerNetwork net, int i) {
        String n = net.getLayer(i).conf().getLayer().getLayerName();
        return n == null || n.isBlank() ? "layer" + i : n;
    }
}
