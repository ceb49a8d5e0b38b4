package trainwatch.ensemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.DatasetCatalog;
import trainwatch.config.RunConfig;
import trainwatch.config.StoredConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.data.Idx;
import trainwatch.run.RunException;

/**
 * Evaluates an ensemble in the process it runs in (the `ensemble` command; the server launches it
 * as a child so it never loads ND4J itself). The evaluation data is the first member's validation
 * split (its config's dataset, sizes and seed), plus the dataset's test split (t10k files) for
 * mnist and fashion-mnist when present. Every member is loaded, checked to take that input and
 * give one probability per class (else refused naming the member), and run over the data in
 * chunks in inference mode; the ensemble is the mean of the members' softmax outputs.
 */
public final class EnsembleEvaluator {
    static final int CHUNK = 500;
    static final int IMAGES_EACH = 6;
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";

    private EnsembleEvaluator() {}

    /** The members' inputs: a split's features [n][features] and labels. */
    record Split(float[] x, int[] y, int features) {
        int size() {
            return y.length;
        }
    }

    /** @throws RunException (invalid, naming the member) when a member does not fit the others */
    public static EnsembleResult evaluate(EnsembleSpec spec, Path runsRoot, Path dataDir) throws IOException {
        long t0 = System.nanoTime();
        List<Members.Resolved> members = Members.resolve(runsRoot, spec.members(), true);
        RunConfig first = config(members.get(0), dataDir, 0);
        Dataset data = Datasets.load(first, dataDir);
        int classes = data.numClasses();
        Split val = new Split(data.valX(), data.valY(), data.features());
        Split test = testSplit(first, dataDir).orElse(null);
        for (int i = 1; i < members.size(); i++) checkNoLeak(members.get(i), i, first, dataDir);

        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<double[]> valP = new ArrayList<>(), testP = new ArrayList<>();
        long forwardNanos = 0;
        for (int i = 0; i < members.size(); i++) {
            MultiLayerNetwork net = load(members.get(i), i, val, classes);
            nets.add(net);
            long f0 = System.nanoTime();
            valP.add(probabilities(net, val, classes));
            forwardNanos += System.nanoTime() - f0;
            if (test != null) testP.add(probabilities(net, test, classes));
        }

        int k = members.size();
        double[] memberAcc = new double[k];
        List<EnsembleResult.Member> memberRows = new ArrayList<>();
        List<int[]> preds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            EnsembleMath.Score v = EnsembleMath.score(valP.get(i), val.y(), classes);
            EnsembleMath.Score t = test == null ? null : EnsembleMath.score(testP.get(i), test.y(), classes);
            memberAcc[i] = v.acc();
            preds.add(EnsembleMath.predictions(valP.get(i), classes));
            Members.Resolved m = members.get(i);
            memberRows.add(new EnsembleResult.Member(m.ref().run(), m.ref().checkpoint(), m.runName(), m.seed(), v.acc(), v.loss(),
                    t == null ? null : t.acc(), t == null ? null : t.loss()));
        }
        double[] ensVal = EnsembleMath.mean(valP, k);
        EnsembleMath.Score ev = EnsembleMath.score(ensVal, val.y(), classes);
        EnsembleMath.Score et = test == null ? null : EnsembleMath.score(EnsembleMath.mean(testP, k), test.y(), classes);
        EnsembleResult.Scores ensemble = scores(ev, et);

        List<Integer> order = EnsembleMath.byAccuracy(memberAcc);
        List<EnsembleMath.Score> cv = EnsembleMath.curve(valP, order, val.y(), classes);
        List<EnsembleMath.Score> ct = test == null ? null : EnsembleMath.curve(testP, order, test.y(), classes);
        List<EnsembleResult.CurvePoint> curve = new ArrayList<>();
        for (int j = 0; j < k; j++)
            curve.add(new EnsembleResult.CurvePoint(j + 1, members.get(order.get(j)).ref().toString(), cv.get(j).acc(), cv.get(j).loss(),
                    ct == null ? null : ct.get(j).acc()));

        EnsembleResult.Scores averaged = null;
        String note = "";
        if (spec.averageParams()) {
            String why = whyNotAveraged(members, nets);
            if (why != null) note = why;
            else {
                MultiLayerNetwork avg = averageParameters(nets);
                averaged = scores(EnsembleMath.score(probabilities(avg, val, classes), val.y(), classes),
                        test == null ? null : EnsembleMath.score(probabilities(avg, test, classes), test.y(), classes));
                note = "the element-wise mean of " + k + " checkpoints' parameters";
            }
        }

        EnsembleResult.Images images = data.isImage()
                ? images(data, val, valP.get(order.get(0)), ensVal, preds, classes, members.get(order.get(0)).ref().toString())
                : null;
        double mean = 0, best = 0;
        for (double a : memberAcc) {
            mean += a / k;
            best = Math.max(best, a);
        }
        double perSec = forwardNanos == 0 ? 0 : (double) k * val.size() / (forwardNanos / 1e9);
        return new EnsembleResult(spec.id(), data.name(), val.size(), test == null ? 0 : test.size(), memberRows, ensemble,
                EnsembleMath.disagreement(preds), mean, best, curve, averaged, note, images,
                (System.nanoTime() - t0) / 1_000_000, perSec);
    }

    /** The element-wise mean of the networks' parameter vectors, in a copy of the first network. */
    public static MultiLayerNetwork averageParameters(List<MultiLayerNetwork> nets) {
        INDArray sum = nets.get(0).params().dup();
        for (int i = 1; i < nets.size(); i++) sum.addi(nets.get(i).params());
        MultiLayerNetwork out = nets.get(0).clone();
        out.setParams(sum.divi(nets.size()));
        return out;
    }

    /** Softmax outputs of a split, [n][classes] row-major, in inference mode (no dropout). */
    public static double[] probabilities(MultiLayerNetwork net, Split s, int classes) {
        int n = s.size();
        double[] out = new double[n * classes];
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            float[] part = new float[m * s.features()];
            System.arraycopy(s.x(), from * s.features(), part, 0, part.length);
            float[] p = net.output(Nd4j.create(part, new long[] {m, s.features()}, 'c'), false).dup('c').data().asFloat();
            for (int i = 0; i < p.length; i++) out[from * classes + i] = p[i];
        }
        return out;
    }

    /** Restores a member and checks it takes the ensemble's input and gives one output per class. */
    static MultiLayerNetwork load(Members.Resolved m, int index, Split val, int classes) throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(m.zip().toFile(), false);
        String who = "members[" + index + "]";
        long[] outShape;
        try {
            float[] one = new float[val.features()];
            System.arraycopy(val.x(), 0, one, 0, one.length);
            outShape = net.output(Nd4j.create(one, new long[] {1, val.features()}, 'c'), false).shape();
        } catch (RuntimeException e) {
            throw RunException.invalid(who, "run " + m.ref() + " does not take the ensemble's input of " + val.features()
                    + " features: " + e.getClass().getSimpleName());
        }
        if (outShape.length != 2 || outShape[1] != classes)
            throw RunException.invalid(who, "run " + m.ref() + " gives " + (outShape.length == 2 ? outShape[1] : -1)
                    + " outputs, the ensemble's dataset has " + classes + " classes");
        return net;
    }

    private static RunConfig config(Members.Resolved m, Path dataDir, int index) {
        try {
            return ConfigParser.parse(StoredConfig.trainerPart(m.configJson()), dataDir);
        } catch (ConfigException e) {
            throw RunException.invalid("members[" + index + "]", "run " + m.ref().run() + "'s config.json is not usable: " + e.getMessage());
        }
    }

    /** A member trained on examples of a data file that the ensemble validates on would flatter it: refused. */
    private static void checkNoLeak(Members.Resolved m, int index, RunConfig first, Path dataDir) {
        DatasetCatalog ds = DatasetCatalog.byId(first.dataset()).orElseThrow();
        if (!ds.fileBacked()) return; // generated data: another seed draws other examples
        RunConfig c = config(m, dataDir, index);
        int n = ds.fileExamples();
        if (c.trainSize() > n - first.valSize())
            throw RunException.invalid("members[" + index + "]", "run " + m.ref().run() + " trained on examples 0.." + (c.trainSize() - 1)
                    + " of " + ds.id() + ", which include the ensemble's validation examples " + (n - first.valSize()) + ".." + (n - 1));
    }

    private static Optional<Split> testSplit(RunConfig cfg, Path dataDir) {
        DatasetCatalog ds = DatasetCatalog.byId(cfg.dataset()).orElseThrow();
        if (!ds.fileBacked()) return Optional.empty();
        Path dir = ds.dir(dataDir);
        Optional<Path> images = DatasetCatalog.locate(dir, TEST_IMAGES), labels = DatasetCatalog.locate(dir, TEST_LABELS);
        if (images.isEmpty() || labels.isEmpty()) return Optional.empty();
        int n = Idx.count(images.get());
        int side = ds.exampleShape()[1];
        return Optional.of(new Split(Idx.readImages(images.get(), 0, n, side, side), Idx.readLabels(labels.get(), 0, n, ds.numClasses()),
                ds.features()));
    }

    /** Null when the members' parameters can be averaged, else why not. */
    private static String whyNotAveraged(List<Members.Resolved> members, List<MultiLayerNetwork> nets) {
        long runs = members.stream().map(m -> m.ref().run()).distinct().count();
        if (runs > 1) return "not computed: parameter averaging needs checkpoints of one run (these come from " + runs + " runs)";
        Map<String, INDArray> first = nets.get(0).paramTable();
        for (int i = 1; i < nets.size(); i++) {
            Map<String, INDArray> t = nets.get(i).paramTable();
            if (!t.keySet().equals(first.keySet())) return "not computed: members[" + i + "] has another architecture";
            for (var e : first.entrySet())
                if (!java.util.Arrays.equals(e.getValue().shape(), t.get(e.getKey()).shape()))
                    return "not computed: members[" + i + "] has another architecture (" + e.getKey() + ")";
        }
        return null;
    }

    private static EnsembleResult.Scores scores(EnsembleMath.Score v, EnsembleMath.Score t) {
        return new EnsembleResult.Scores(v.acc(), v.loss(), t == null ? null : t.acc(), t == null ? null : t.loss());
    }

    /** Validation images the best member got wrong: where the ensemble was right (fixed) and where it was wrong too. */
    private static EnsembleResult.Images images(Dataset data, Split val, double[] bestP, double[] ensP, List<int[]> preds, int classes,
                                                String bestName) {
        int[] shape = data.exampleShape();
        List<EnsembleResult.Example> fixed = new ArrayList<>(), notFixed = new ArrayList<>();
        for (int i = 0; i < val.size() && (fixed.size() < IMAGES_EACH || notFixed.size() < IMAGES_EACH); i++) {
            int best = EnsembleMath.argmax(bestP, i, classes), ens = EnsembleMath.argmax(ensP, i, classes), y = val.y()[i];
            if (best == y) continue;
            List<EnsembleResult.Example> into = ens == y ? fixed : notFixed;
            if (into.size() >= IMAGES_EACH) continue;
            int right = 0;
            for (int[] p : preds) if (p[i] == y) right++;
            byte[] px = new byte[val.features()];
            for (int j = 0; j < px.length; j++) px[j] = (byte) Math.round(Math.min(1f, Math.max(0f, val.x()[i * val.features() + j])) * 255);
            into.add(new EnsembleResult.Example(i, y, ens, best, right, Base64.getEncoder().encodeToString(px)));
        }
        return new EnsembleResult.Images(shape, bestName, fixed, notFixed);
    }

    /** For the command line: a table of members and ensemble. */
    public static String table(EnsembleResult r) {
        StringBuilder b = new StringBuilder();
        boolean test = r.testExamples() > 0;
        b.append(String.format("%-40s %9s %9s%s%n", "member", "val_acc", "val_loss", test ? String.format(" %9s %9s", "test_acc", "test_loss") : ""));
        for (EnsembleResult.Member m : r.members())
            b.append(String.format("%-40s %9.4f %9.4f%s%n", m.run() + ":" + m.checkpoint(), m.valAcc(), m.valLoss(),
                    test ? String.format(" %9.4f %9.4f", m.testAcc(), m.testLoss()) : ""));
        row(b, "ensemble (mean of softmax)", r.ensemble(), test);
        if (r.averaged() != null) row(b, "averaged parameters", r.averaged(), test);
        b.append(String.format("members' mean val_acc %.4f, best %.4f; disagreement %.4f; %d validation examples%s%n",
                r.meanMemberValAcc(), r.bestMemberValAcc(), r.disagreement(), r.valExamples(), test ? ", " + r.testExamples() + " test" : ""));
        if (!r.averagedNote().isEmpty() && r.averaged() == null) b.append("averaged parameters: ").append(r.averagedNote()).append('\n');
        b.append("members added by val_acc:");
        for (EnsembleResult.CurvePoint p : r.curve()) b.append(String.format(" %d:%.4f", p.members(), p.valAcc()));
        return b.append('\n').toString();
    }

    private static void row(StringBuilder b, String label, EnsembleResult.Scores s, boolean test) {
        b.append(String.format("%-40s %9.4f %9.4f%s%n", label, s.valAcc(), s.valLoss(),
                test ? String.format(" %9.4f %9.4f", s.testAcc(), s.testLoss()) : ""));
    }
}
