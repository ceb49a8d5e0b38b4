package trainwatch.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Coarse to fine: a narrower space around the best trials of a search.
 *
 * <p>The rule: take the best quarter of the complete trials (at least {@link #MIN_TOP},
 * or all of them if there are fewer). For each numeric parameter, the new range is the
 * span of their values widened by 10% of that span on each side, measured in log space
 * for log parameters; if they all share one value, 5% of the old range on each side.
 * The result is clipped to the old range; integer bounds are rounded outward and kept
 * at least one apart. A categorical parameter keeps the choices the top trials used, in
 * their old order. Pruned and failed trials never count as "best".
 */
public final class Refine {
    public static final double TOP_FRACTION = 0.25;
    public static final int MIN_TOP = 1;
    public static final double PAD = 0.10;
    public static final double PAD_WHEN_ONE_VALUE = 0.05;

    private Refine() {}

    public static Space narrow(Space space, List<Trial> trials, Goal goal) {
        List<Trial> ranked = Ranked.best(trials, goal);
        if (ranked.isEmpty()) throw new InvalidSpaceException("trials", "refine needs at least one complete trial");
        int k = Math.max(MIN_TOP, (int) Math.ceil(TOP_FRACTION * ranked.size()));
        List<Trial> top = ranked.subList(0, Math.min(k, ranked.size()));
        List<Param> out = new ArrayList<>();
        for (Param p : space.params().values()) {
            out.add(p instanceof Param.Numeric n ? numeric(n, top) : choice((Param.Choice) p, top));
        }
        return Space.of(out);
    }

    private static Param numeric(Param.Numeric p, List<Trial> top) {
        double oldLo = Ranked.scaleOf(p, p.lower()), oldHi = Ranked.scaleOf(p, p.upper());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Trial t : top) {
            if (Double.isNaN(p.toScale(t.assignment().get(p.path())))) continue; // not from this space
            double x = Ranked.scaleOf(p, ((Number) t.assignment().get(p.path())).doubleValue());
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (lo > hi) return p;
        double pad = hi > lo ? PAD * (hi - lo) : PAD_WHEN_ONE_VALUE * (oldHi - oldLo);
        double newLo = Math.max(oldLo, lo - pad), newHi = Math.min(oldHi, hi + pad);
        double min = p.log() ? Math.exp(newLo) : newLo, max = p.log() ? Math.exp(newHi) : newHi;
        if (p instanceof Param.Uniform) return new Param.Uniform(p.path(), min, max);
        if (p instanceof Param.LogUniform) return new Param.LogUniform(p.path(), Math.max(min, p.lower()), Math.min(max, p.upper()));
        long a = Math.max((long) p.lower(), (long) Math.floor(min + 1e-9)), b = Math.min((long) p.upper(), (long) Math.ceil(max - 1e-9));
        if (a == b) { // an integer range needs two values: step out on whichever side the old range allows
            if (b < (long) p.upper()) b++;
            else a--;
        }
        return p instanceof Param.IntLogUniform ? new Param.IntLogUniform(p.path(), a, b) : new Param.IntUniform(p.path(), a, b);
    }

    private static Param choice(Param.Choice p, List<Trial> top) {
        Set<Object> used = new LinkedHashSet<>();
        for (Trial t : top) used.add(t.assignment().get(p.path()));
        List<Object> kept = new ArrayList<>();
        for (Object c : p.choices()) if (used.contains(c)) kept.add(c);
        if (kept.isEmpty()) return p;
        return p instanceof Param.Grid ? new Param.Grid(p.path(), kept) : new Param.Values(p.path(), kept);
    }
}
