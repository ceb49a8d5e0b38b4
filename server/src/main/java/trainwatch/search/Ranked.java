package trainwatch.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Complete trials, best first (pruned and failed trials are never "the best"). */
final class Ranked {
    private Ranked() {}

    static List<Trial> best(List<Trial> trials, Goal goal) {
        List<Trial> out = new ArrayList<>();
        for (Trial t : trials) if (t.complete()) out.add(t);
        out.sort(Comparator.comparingDouble(t -> goal.loss(t.value())));
        return out;
    }

    /** Where a numeric parameter's bounds sit on the scale refine and the edge warning use: ln for log kinds. */
    static double scaleOf(Param.Numeric p, double v) {
        return p.log() ? Math.log(v) : v;
    }
}
