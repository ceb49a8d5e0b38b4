package trainwatch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ParamTest {
    private static final int N = 5_000;

    private static double[] draw(Param p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[N];
        for (int i = 0; i < N; i++) out[i] = ((Number) p.sample(rng)).doubleValue();
        return out;
    }

    private static double ks(double[] xs, double lo, double hi) {
        return new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new UniformRealDistribution(lo, hi), xs);
    }

    @Test
    void log_uniform_samples_are_uniform_in_log_space_and_inside_the_bounds() {
        Param.LogUniform lr = new Param.LogUniform("optimizer.lr", 1e-4, 1);
        double[] xs = draw(lr, 42);
        for (double x : xs) assertTrue(x >= 1e-4 && x <= 1, "out of range: " + x);
        double[] logs = Arrays.stream(xs).map(Math::log).toArray();
        double p = ks(logs, Math.log(1e-4), Math.log(1));
        assertTrue(p > 0.01, "KS on log values rejects uniformity, p = " + p);
        // the test has power: the raw values are far from uniform on [1e-4, 1]
        double raw = ks(xs, 1e-4, 1);
        assertTrue(raw < 1e-6, "raw log_uniform values should fail a uniform KS test, p = " + raw);
    }

    @Test
    void uniform_samples_are_uniform_on_raw_values() {
        Param.Uniform dropout = new Param.Uniform("dropout", 0, 0.5);
        double[] xs = draw(dropout, 7);
        double p = ks(xs, 0, 0.5);
        assertTrue(p > 0.01, "KS rejects uniformity, p = " + p);
        double shifted = ks(xs, 0, 0.6);
        assertTrue(shifted < 1e-6, "a wrong range must be rejected, p = " + shifted);
    }

    @Test
    void int_uniform_covers_every_integer_evenly() {
        Param.IntUniform layers = new Param.IntUniform("model.layers", 1, 6);
        Map<Long, Integer> counts = counts(layers, 6_000);
        assertEquals(6, counts.size(), "all of 1..6: " + counts);
        for (long k = 1; k <= 6; k++) {
            int c = counts.getOrDefault(k, 0);
            assertTrue(c > 850 && c < 1150, k + " drawn " + c + " times of 6000");
        }
    }

    @Test
    void int_log_uniform_covers_every_integer_with_log_spaced_frequencies() {
        Param.IntLogUniform batch = new Param.IntLogUniform("batchSize", 16, 256);
        Map<Long, Integer> counts = counts(batch, 40_000);
        for (long k = 16; k <= 256; k++) assertTrue(counts.containsKey(k), "never drew " + k);
        assertEquals(241, counts.size());
        // each octave [16,32), [32,64), [64,128), [128,256) gets about the same share
        int[] octave = new int[4];
        counts.forEach((k, c) -> { if (k < 256) octave[(int) (Math.log(k / 16.0) / Math.log(2))] += c; });
        for (int o : octave) assertTrue(o > 8_500 && o < 11_000, "octave counts " + Arrays.toString(octave));
    }

    @Test
    void categorical_values_of_any_json_shape_are_all_drawn() {
        Param.Values hidden = new Param.Values("model.hidden", List.of(List.of(50), List.of(100), List.of(200, 100), "wide", 3.5, true));
        SplittableRandom rng = new SplittableRandom(3);
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < 3_000; i++) seen.merge(hidden.sample(rng), 1, Integer::sum);
        assertEquals(6, seen.size(), "every choice drawn: " + seen);
        for (int c : seen.values()) assertTrue(c > 400 && c < 600, "uneven choice counts " + seen);
    }

    private static Map<Long, Integer> counts(Param p, int n) {
        SplittableRandom rng = new SplittableRandom(11);
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Object v = p.sample(rng);
            assertTrue(v instanceof Long, "integer kinds give Long, got " + v.getClass());
            counts.merge((Long) v, 1, Integer::sum);
        }
        return counts;
    }

    private static void refused(String field, String fragment, Executable build) {
        InvalidSpaceException e = assertThrows(InvalidSpaceException.class, build);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should say '" + fragment + "'");
    }

    @Test
    void bad_parameters_are_refused_with_their_path_named() {
        refused("optimizer.lr", "log_uniform min must be > 0, got 0.0", () -> new Param.LogUniform("optimizer.lr", 0, 1));
        refused("optimizer.lr", "log_uniform min must be > 0, got -4.0", () -> new Param.LogUniform("optimizer.lr", -4, -1));
        refused("l2", "log_uniform min must be < max", () -> new Param.LogUniform("l2", 1e-1, 1e-6));
        refused("dropout", "uniform min must be < max", () -> new Param.Uniform("dropout", 0.5, 0.5));
        refused("dropout", "uniform max must be a finite number, got NaN", () -> new Param.Uniform("dropout", 0, Double.NaN));
        refused("dropout", "uniform min must be a finite number, got -Infinity", () -> new Param.Uniform("dropout", Double.NEGATIVE_INFINITY, 1));
        refused("model.layers", "int_uniform min must be < max, got min 4, max 2", () -> new Param.IntUniform("model.layers", 4, 2));
        refused("batchSize", "int_log_uniform min must be >= 1, got 0", () -> new Param.IntLogUniform("batchSize", 0, 256));
        refused("model.hidden", "values must list at least one value", () -> new Param.Values("model.hidden", List.of()));
        refused("model.hidden", "values[2] repeats the value [50]", () -> new Param.Values("model.hidden", List.of(List.of(50), List.of(100), List.of(50))));
        refused("model.hidden", "values[1] is null", () -> new Param.Values("model.hidden", Arrays.asList(1, null)));
        refused("model.hidden", "values[0][1] must be a finite number, got NaN", () -> new Param.Values("model.hidden", List.of(List.of(1.0, Double.NaN))));
        refused("seed", "grid must list at least one value", () -> new Param.Grid("seed", List.of()));
        refused("optimizer..lr", "dotted config keys", () -> new Param.Uniform("optimizer..lr", 0, 1));
        refused("model.hidden", "overlaps with model", () -> Space.of(new Param.Values("model", List.of("a")), new Param.Values("model.hidden", List.of(1))));
        refused("l2", "declared twice", () -> Space.of(new Param.Uniform("l2", 0, 1), new Param.Uniform("l2", 0, 2)));
        refused("parameters", "at least one parameter", () -> Space.of());
        refused("dropout", "grid search needs grid points or values, not uniform", () -> new GridSampler(Space.of(new Param.Uniform("dropout", 0, 0.5))));
        refused("method", "must be grid, random or tpe", () -> Sampler.of("bayes", Space.of(new Param.Uniform("dropout", 0, 0.5)), Goal.MAX));
    }
}
