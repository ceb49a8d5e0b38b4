package trainwatch.search;

import java.util.ArrayList;
import java.util.List;

/**
 * "The best value sits at the edge of its range": the optimum may lie outside, so the
 * range should be widened on that side before refining. Fires when the best complete
 * trial's value is within the outer {@link #EDGE} of a numeric parameter's range,
 * measured in log space for log parameters.
 */
public record EdgeWarning(String path, Side side, Object value, String message) {
    public enum Side { LOW, HIGH }

    public static final double EDGE = 0.05;

    public static List<EdgeWarning> check(Space space, List<Trial> trials, Goal goal) {
        List<Trial> ranked = Ranked.best(trials, goal);
        List<EdgeWarning> out = new ArrayList<>();
        if (ranked.isEmpty()) return out;
        Assignment best = ranked.get(0).assignment();
        for (Param p : space.params().values()) {
            if (!(p instanceof Param.Numeric n)) continue;
            Object v = best.get(p.path());
            if (Double.isNaN(n.toScale(v))) continue;
            double lo = Ranked.scaleOf(n, n.lower()), hi = Ranked.scaleOf(n, n.upper());
            double at = (Ranked.scaleOf(n, ((Number) v).doubleValue()) - lo) / (hi - lo);
            String range = "[" + Asha.fmt(n.lower()) + ", " + Asha.fmt(n.upper()) + "]" + (n.log() ? " (log scale)" : "");
            if (at < EDGE) {
                out.add(new EdgeWarning(p.path(), Side.LOW, v, p.path() + ": the best trial's value " + Asha.fmt(((Number) v).doubleValue())
                        + " is in the lowest 5% of " + range + "; the optimum may be lower: widen the range below " + Asha.fmt(n.lower())));
            } else if (at > 1 - EDGE) {
                out.add(new EdgeWarning(p.path(), Side.HIGH, v, p.path() + ": the best trial's value " + Asha.fmt(((Number) v).doubleValue())
                        + " is in the highest 5% of " + range + "; the optimum may be higher: widen the range above " + Asha.fmt(n.upper())));
            }
        }
        return out;
    }
}
