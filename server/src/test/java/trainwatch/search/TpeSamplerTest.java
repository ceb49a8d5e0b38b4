package trainwatch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

class TpeSamplerTest {
    private static final int SEEDS = 20, BUDGET = 50;

    private static double[] bests(Sampler sampler, ToDoubleFunction<Assignment> f) {
        double[] out = new double[SEEDS];
        for (int s = 0; s < SEEDS; s++) out[s] = Objectives.best(Objectives.search(sampler, f, s + 1, BUDGET));
        return out;
    }

    @Test
    void tpe_beats_random_on_a_shifted_sphere_with_log_scaled_dimensions() {
        Space space = Objectives.SPHERE_SPACE;
        double tpe = Objectives.median(bests(new TpeSampler(space, Goal.MIN, TpeSampler.Settings.defaults()), Objectives::sphere));
        double random = Objectives.median(bests(new RandomSampler(space), Objectives::sphere));
        System.out.printf("sphere, median best of %d seeds at %d trials: tpe %.4f, random %.4f%n", SEEDS, BUDGET, tpe, random);
        assertTrue(tpe < 0.6 * random, "tpe median best " + tpe + " vs random " + random);
    }

    @Test
    void tpe_beats_random_on_branin() {
        Space space = Objectives.BRANIN_SPACE;
        double tpe = Objectives.median(bests(new TpeSampler(space, Goal.MIN, TpeSampler.Settings.defaults()), Objectives::branin));
        double random = Objectives.median(bests(new RandomSampler(space), Objectives::branin));
        System.out.printf("branin, median best of %d seeds at %d trials: tpe %.4f, random %.4f (optimum 0.3979)%n", SEEDS, BUDGET, tpe, random);
        assertTrue(tpe - 0.397887 < 0.6 * (random - 0.397887), "tpe median best " + tpe + " vs random " + random);
    }

    @Test
    void simultaneous_suggestions_differ_because_running_trials_count_as_bad() {
        Space space = Objectives.SPHERE_SPACE;
        List<Trial> history = Objectives.search(new RandomSampler(space), Objectives::sphere, 5, 30);
        TpeSampler tpe = new TpeSampler(space, Goal.MIN, TpeSampler.Settings.defaults());
        // the same random stream every time: only the running trials differ between calls
        Assignment alone = tpe.suggest(history, List.of(), new SplittableRandom(99)).orElseThrow();
        assertEquals(alone, tpe.suggest(history, List.of(), new SplittableRandom(99)).orElseThrow(), "deterministic given history and stream");
        List<Assignment> pending = new ArrayList<>();
        for (int w = 0; w < 4; w++) pending.add(tpe.suggest(history, List.copyOf(pending), new SplittableRandom(99)).orElseThrow());
        assertEquals(alone, pending.get(0));
        assertEquals(4, new HashSet<>(pending).size(), "four parallel workers got " + pending);
        for (int w = 1; w < 4; w++)
            for (String path : space.params().keySet())
                assertNotEquals(pending.get(0).get(path), pending.get(w).get(path), "worker " + w + " repeats " + path);
    }

    @Test
    void the_good_set_is_the_best_complete_trials_then_pruned_ones_and_never_failed_or_running_ones() {
        List<Trial> history = new ArrayList<>();
        history.add(Trial.failed(at(0)));
        history.add(Trial.pruned(at(1), 0.99, 3));
        history.add(Trial.complete(at(2), 0.40));
        history.add(Trial.pruned(at(3), 0.70, 9));
        for (int i = 4; i < 19; i++) history.add(Trial.failed(at(i)));
        history.add(Trial.complete(at(19), Double.NaN)); // diverged: counted as failed
        assertEquals(Trial.Status.FAILED, history.get(19).status());
        List<Assignment> pending = List.of(at(20), at(21));
        // 20 finished + 2 running = 22 known trials: gamma = ceil(2.2) = 3
        TrialSplit split = TrialSplit.of(history, pending, Goal.MAX);
        assertEquals(List.of(at(1), at(2), at(3)), split.below(), "complete first, then pruned by epochs reached, in trial order");
        assertEquals(19, split.above().size());
        assertEquals(List.of(at(20), at(21)), split.above().subList(17, 19), "running trials are always bad");
        assertEquals(25, TrialSplit.gamma(10_000));
        assertEquals(1, TrialSplit.gamma(1));
        double[] w = TrialSplit.weights(100);
        assertEquals(0.01, w[0], 1e-12);
        assertEquals(1.0, w[74], 1e-12);
        assertEquals(1.0, w[75], 1e-12);
        assertTrue(w[40] > w[10] && w[40] < 1);
    }

    @Test
    void past_max_above_the_bad_set_is_an_even_stride_with_full_history_weights_and_every_running_trial() {
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) history.add(Trial.complete(at(i), i)); // maximise: 990..999 are the best
        TrialSplit split = TrialSplit.of(history, List.of(at(-1)), Goal.MAX, 100);
        assertEquals(List.of(25), List.of(split.below().size()));
        assertEquals(at(975), split.below().get(0));
        assertEquals(101, split.above().size());
        assertEquals(101, split.aboveWeights().length);
        assertEquals(at(0), split.above().get(0));
        assertEquals(at(9 * 975 / 100), split.above().get(9), "stride 9.75 through the 975 bad trials");
        assertEquals(at(-1), split.above().get(100), "the running trial is kept");
        double[] full = TrialSplit.weights(976);
        assertEquals(full[9 * 975 / 100], split.aboveWeights()[9], 1e-15);
        assertEquals(1.0, split.aboveWeights()[100], 1e-15);
    }

    @Test
    void tpe_learns_to_avoid_a_region_where_trials_diverge() {
        // x > 0.6 diverges (40% of the range); the optimum is at 0.35
        Space space = Space.of(new Param.Uniform("optimizer.lr", 0, 1));
        int[] failed = new int[2];
        Sampler[] samplers = {new TpeSampler(space, Goal.MIN, TpeSampler.Settings.defaults()), new RandomSampler(space)};
        for (int k = 0; k < 2; k++) {
            for (int seed = 1; seed <= 10; seed++) {
                List<Trial> history = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Assignment a = samplers[k].suggest(history, List.of(), Sampler.rngFor(seed, i)).orElseThrow();
                    double x = (Double) a.get("optimizer.lr");
                    history.add(x > 0.6 ? Trial.failed(a) : Trial.complete(a, (x - 0.35) * (x - 0.35)));
                    if (i >= 10 && x > 0.6) failed[k]++;
                }
            }
        }
        System.out.println("diverged after start-up: tpe " + failed[0] + ", random " + failed[1]);
        assertTrue(failed[0] < 0.5 * failed[1], "diverged trials after start-up: tpe " + failed[0] + ", random " + failed[1]);
    }

    @Test
    void categorical_choices_concentrate_on_the_good_one() {
        Space space = Space.of(new Param.Values("optimizer.type", List.of("sgd", "adam", "nesterovs", "rmsprop")));
        Map<String, Double> loss = Map.of("sgd", 1.0, "adam", 0.1, "nesterovs", 0.8, "rmsprop", 0.9);
        List<Trial> history = Objectives.search(new TpeSampler(space, Goal.MIN, TpeSampler.Settings.defaults()), a -> loss.get((String) a.get("optimizer.type")), 3, 60);
        long adam = history.subList(20, 60).stream().filter(t -> t.assignment().get("optimizer.type").equals("adam")).count();
        assertTrue(adam > 25, "adam chosen " + adam + " of the last 40");
    }

    private static Assignment at(int i) {
        return new Assignment(Map.of("x", (double) i));
    }
}
