package trainwatch.search;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), following the design of
 * Optuna's TPESampler with its defaults (independent per parameter, prior on, magic clip
 * on, endpoints off, constant liar on):
 * <ol>
 * <li>until {@code nStartup} trials have finished, draw at random;</li>
 * <li>split finished trials into the best gamma(n) = min(ceil(n/10), 25) and the rest
 *     ({@link TrialSplit}); running trials join the rest as if they were the worst;</li>
 * <li>per parameter, fit l(x) to the good trials' values and g(x) to the rest
 *     ({@link Parzen} on the search scale, so log parameters are modelled in log space,
 *     or {@link CategoricalParzen});</li>
 * <li>draw {@code candidates} values from l and keep the one with the largest
 *     log l(x) - log g(x), the expected-improvement criterion of TPE.</li>
 * </ol>
 * Cost is linear in the history (one sort plus candidates x trials kernel evaluations per
 * parameter); see docs/benchmarks.md for the time at 10,000 trials.
 */
public final class TpeSampler implements Sampler {
    /**
     * @param nStartup trials drawn at random before TPE takes over (Optuna: 10)
     * @param candidates draws from l(x) scored per suggestion (Optuna: 24)
     * @param priorWeight weight of the uniform-ish prior kernel (Optuna: 1.0)
     * @param maxAbove bad trials g(x) is built from at most (an even stride beyond it; see TrialSplit)
     */
    public record Settings(int nStartup, int candidates, double priorWeight, int maxAbove) {
        public Settings {
            if (nStartup < 1) throw new InvalidSpaceException("tpe.n_startup", "must be >= 1, got " + nStartup);
            if (candidates < 1) throw new InvalidSpaceException("tpe.candidates", "must be >= 1, got " + candidates);
            if (!(priorWeight > 0) || !Double.isFinite(priorWeight)) throw new InvalidSpaceException("tpe.prior_weight", "must be > 0, got " + priorWeight);
            if (maxAbove < 100) throw new InvalidSpaceException("tpe.max_above", "must be >= 100, got " + maxAbove);
        }

        public static Settings defaults() {
            return new Settings(10, 24, 1.0, 2_000);
        }
    }

    private final Space space;
    private final Goal goal;
    private final Settings settings;

    public TpeSampler(Space space, Goal goal, Settings settings) {
        this.space = space;
        this.goal = goal;
        this.settings = settings;
    }

    @Override
    public Optional<Assignment> suggest(List<Trial> history, List<Assignment> pending, RandomGenerator rng) {
        if (history.size() < settings.nStartup()) return Optional.of(RandomSampler.draw(space, rng));
        TrialSplit split = TrialSplit.of(history, pending, goal, settings.maxAbove());
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : space.params().values()) {
            Object v = p instanceof Param.Numeric num ? numeric(num, split, rng) : choice((Param.Choice) p, split, rng);
            out.put(p.path(), v);
        }
        return Optional.of(new Assignment(out));
    }

    private Object numeric(Param.Numeric p, TrialSplit split, RandomGenerator rng) {
        Parzen l = parzen(p, split.below(), split.belowWeights()), g = parzen(p, split.above(), split.aboveWeights());
        double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < settings.candidates(); c++) {
            double x = l.sample(rng);
            double score = l.logPdf(x) - g.logPdf(x);
            if (score > bestScore || Double.isNaN(best)) {
                best = x;
                bestScore = score;
            }
        }
        return p.fromScale(best);
    }

    private Parzen parzen(Param.Numeric p, List<Assignment> group, double[] weights) {
        double[] obs = new double[group.size()], w = new double[group.size()];
        int n = 0;
        for (int i = 0; i < group.size(); i++) { // trials from an older space (a refined sweep) may lack the value or lie outside
            double x = p.toScale(group.get(i).get(p.path()));
            if (Double.isNaN(x)) continue;
            obs[n] = x;
            w[n++] = weights[i];
        }
        return new Parzen(Arrays.copyOf(obs, n), Arrays.copyOf(w, n), p.lo(), p.hi(), settings.priorWeight());
    }

    private Object choice(Param.Choice p, TrialSplit split, RandomGenerator rng) {
        CategoricalParzen l = categorical(p, split.below(), split.belowWeights()), g = categorical(p, split.above(), split.aboveWeights());
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < settings.candidates(); c++) {
            int k = l.sample(rng);
            double score = l.logPdf(k) - g.logPdf(k);
            if (best < 0 || score > bestScore) {
                best = k;
                bestScore = score;
            }
        }
        return p.choices().get(best);
    }

    private CategoricalParzen categorical(Param.Choice p, List<Assignment> group, double[] weights) {
        int[] obs = new int[group.size()];
        double[] w = new double[group.size()];
        int n = 0;
        for (int i = 0; i < group.size(); i++) {
            int k = p.choices().indexOf(group.get(i).get(p.path()));
            if (k < 0) continue;
            obs[n] = k;
            w[n++] = weights[i];
        }
        return new CategoricalParzen(Arrays.copyOf(obs, n), Arrays.copyOf(w, n), p.choices().size(), settings.priorWeight());
    }
}
