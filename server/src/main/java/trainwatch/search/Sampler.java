package trainwatch.search;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Proposes the next trial's values from what is known: the finished trials (in trial
 * order) and the ones still running. Samplers keep no state between calls, so a sweep
 * restarted from its stored trials suggests exactly what it would have suggested.
 */
public interface Sampler {
    /**
     * The next assignment, or empty when the method has nothing left to propose (a grid
     * whose every point is finished or running).
     */
    Optional<Assignment> suggest(List<Trial> history, List<Assignment> pending, RandomGenerator rng);

    /** The sampler for a spec's method name: grid, random or tpe. */
    static Sampler of(String method, Space space, Goal goal) {
        return switch (method) {
            case "grid" -> new GridSampler(space);
            case "random" -> new RandomSampler(space);
            case "tpe" -> new TpeSampler(space, goal, TpeSampler.Settings.defaults());
            default -> throw new InvalidSpaceException("method", "must be grid, random or tpe, got " + method);
        };
    }

    /**
     * The random stream for trial number {@code trial} of a sweep seeded {@code seed}:
     * derived, not carried, so a restart needs no saved generator state.
     */
    static SplittableRandom rngFor(long seed, int trial) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (trial + 1L)));
    }
}
