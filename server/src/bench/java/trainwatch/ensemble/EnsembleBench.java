package trainwatch.ensemble;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.train.Models;

/**
 * Evaluation speed: members x validation examples per second of forward passes, the ensemble
 * evaluator's (EnsembleEvaluator.probabilities: chunks of 500, softmax copied out as doubles) against a
 * bare DL4J {@code net.output(chunk, false)} loop over the same members and chunks, plus the whole
 * evaluation's wall time (loading the checkpoints and the data, scoring, curve, images).
 * 5 shapes cnn members (the default cnn: 8 filters 5x5, dense 64), 2000 validation shapes,
 * 5 interleaved rounds after a warm-up; OMP_NUM_THREADS as set by the caller (1 under maven here).
 * Command: mvn -B -o -Pbench -pl server test -Dtest=EnsembleBench [-Densemble.bench.members=5 -Densemble.bench.val=2000]
 */
@Tag("bench")
class EnsembleBench {
    @Test
    @org.junit.jupiter.api.Timeout(value = 90, unit = java.util.concurrent.TimeUnit.MINUTES) // the default 5 min would interrupt it
    void members_times_examples_per_second_against_a_bare_output_loop() throws Exception {
        int k = Integer.getInteger("ensemble.bench.members", 5), n = Integer.getInteger("ensemble.bench.val", 2000);
        Path runs = Files.createTempDirectory("ensemble-bench");
        List<MemberRef> refs = new ArrayList<>();
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String cfgJson = "{\"dataset\": \"shapes\", \"seed\": " + (i + 1) + ", \"trainSize\": 10, \"valSize\": " + n + "}";
            RunConfig cfg = ConfigParser.parse(cfgJson);
            Path dir = Files.createDirectories(runs.resolve("m" + i).resolve("checkpoints"));
            Files.writeString(runs.resolve("m" + i).resolve("config.json"), ConfigParser.toJson(cfg));
            MultiLayerNetwork net = Models.build(cfg, Datasets.load(cfg));
            ModelSerializer.writeModel(net, dir.resolve("final.zip").toFile(), false);
            nets.add(net);
            refs.add(new MemberRef("m" + i, "final"));
        }
        Dataset data = Datasets.load(ConfigParser.parse(Files.readString(runs.resolve("m0").resolve("config.json"))));
        EnsembleEvaluator.Split val = new EnsembleEvaluator.Split(data.valX(), data.valY(), data.features());
        EnsembleSpec spec = new EnsembleSpec("bench", "bench", 0, EnsembleSpec.Source.runs(), refs, false);

        int rounds = 5;
        double[] ours = new double[rounds], bare = new double[rounds], whole = new double[rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            long t0 = System.nanoTime();
            for (MultiLayerNetwork net : nets) EnsembleEvaluator.probabilities(net, val, 10);
            long t1 = System.nanoTime();
            for (MultiLayerNetwork net : nets) bareLoop(net, val);
            long t2 = System.nanoTime();
            EnsembleResult res = EnsembleEvaluator.evaluate(spec, runs, runs.resolve("no-data"));
            long t3 = System.nanoTime();
            if (r < 0) continue;
            ours[r] = (double) k * n / ((t1 - t0) / 1e9);
            bare[r] = (double) k * n / ((t2 - t1) / 1e9);
            whole[r] = (t3 - t2) / 1e6;
            if (res.members().size() != k) throw new AssertionError();
        }
        System.out.printf("EnsembleBench: %d members x %d examples; evaluator forward %s ex/s, bare output() %s ex/s, ratio %.3f; whole evaluation %s ms%n",
                k, n, stats(ours), stats(bare), median(ours) / median(bare), stats(whole));
    }

    private static void bareLoop(MultiLayerNetwork net, EnsembleEvaluator.Split s) {
        for (int from = 0; from < s.size(); from += EnsembleEvaluator.CHUNK) {
            int m = Math.min(EnsembleEvaluator.CHUNK, s.size() - from);
            float[] part = new float[m * s.features()];
            System.arraycopy(s.x(), from * s.features(), part, 0, part.length);
            INDArray out = net.output(Nd4j.create(part, new long[] {m, s.features()}, 'c'), false);
            if (out.size(0) != m) throw new AssertionError();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format("median %.0f (min %.0f, max %.0f)", s[s.length / 2], s[0], s[s.length - 1]);
    }
}
