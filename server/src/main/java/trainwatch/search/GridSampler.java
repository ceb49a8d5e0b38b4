package trainwatch.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The full product of every parameter's points, walked like nested loops in declared
 * order: the first parameter is the outer loop, the last one varies fastest. Each call
 * returns the first point in that order that is neither finished nor running; when none
 * is left the grid is exhausted and {@link #suggest} returns empty.
 */
public final class GridSampler implements Sampler {
    /** A product larger than this is a mistake in the spec, not a search anyone will run. */
    public static final long MAX_POINTS = 1_000_000;

    private final List<Param.Choice> params = new ArrayList<>();
    private final long size;

    public GridSampler(Space space) {
        long n = 1;
        for (Param p : space.params().values()) {
            if (!(p instanceof Param.Choice c))
                throw new InvalidSpaceException(p.path(), "grid search needs grid points or values, not " + p.distribution());
            params.add(c);
            n *= c.choices().size();
            if (n > MAX_POINTS) throw new InvalidSpaceException(p.path(), "the grid has more than " + MAX_POINTS + " points");
        }
        size = n;
    }

    /** How many points the grid has. */
    public long size() {
        return size;
    }

    /** The point at a position of the walk (0-based). */
    public Assignment point(long index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("grid point " + index + " of " + size);
        Object[] values = new Object[params.size()];
        for (int i = params.size() - 1; i >= 0; i--) {
            List<Object> c = params.get(i).choices();
            values[i] = c.get((int) (index % c.size()));
            index /= c.size();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) out.put(params.get(i).path(), values[i]);
        return new Assignment(out);
    }

    /** The position of an assignment in the walk, or -1 if it is not a grid point. */
    public long indexOf(Assignment a) {
        long index = 0;
        for (Param.Choice p : params) {
            int k = p.choices().indexOf(a.get(p.path()));
            if (k < 0) return -1;
            index = index * p.choices().size() + k;
        }
        return index;
    }

    @Override
    public Optional<Assignment> suggest(List<Trial> history, List<Assignment> pending, RandomGenerator rng) {
        BitSet taken = new BitSet();
        for (Trial t : history) mark(taken, t.assignment());
        for (Assignment a : pending) mark(taken, a);
        int next = taken.nextClearBit(0);
        return next < size ? Optional.of(point(next)) : Optional.empty();
    }

    private void mark(BitSet taken, Assignment a) {
        long i = indexOf(a);
        if (i >= 0) taken.set((int) i);
    }
}
