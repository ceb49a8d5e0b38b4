package trainwatch.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Every parameter drawn independently from its own distribution; history is ignored. */
public final class RandomSampler implements Sampler {
    private final Space space;

    public RandomSampler(Space space) {
        this.space = space;
    }

    @Override
    public Optional<Assignment> suggest(List<Trial> history, List<Assignment> pending, RandomGenerator rng) {
        return Optional.of(draw(space, rng));
    }

    static Assignment draw(Space space, RandomGenerator rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : space.params().values()) out.put(p.path(), p.sample(rng));
        return new Assignment(out);
    }
}
