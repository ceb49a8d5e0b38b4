package trainwatch.ensemble;

import java.util.Comparator;
import java.util.List;

import trainwatch.run.RunException;
import trainwatch.sweep.SweepDetail;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.TrialView;

/** A sweep's k best finished trials by its own metric and goal, as run ids (best first). */
public final class SweepMembers {
    private SweepMembers() {}

    public static List<String> top(SweepService sweeps, String sweepId, int k) {
        SweepDetail d;
        try {
            d = sweeps.get(sweepId);
        } catch (RunException e) {
            // an unknown or malformed sweep id is the caller's field "sweep", not the sweep routes' "id"
            if (e.kind() != RunException.Kind.NOT_FOUND && e.kind() != RunException.Kind.INVALID) throw e;
            throw RunException.invalid("sweep", "no sweep " + sweepId);
        }
        return top(d, k);
    }

    static List<String> top(SweepDetail d, int k) {
        boolean max = d.metric() == null || !"min".equals(d.metric().goal());
        Comparator<TrialView> byValue = Comparator.comparingDouble(TrialView::value);
        return d.trials().stream()
                .filter(t -> "finished".equals(t.status()) && t.value() != null && Double.isFinite(t.value()) && t.run() != null)
                .sorted(max ? byValue.reversed() : byValue)
                .limit(k).map(TrialView::run).toList();
    }
}
