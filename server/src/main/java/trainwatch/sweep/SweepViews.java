package trainwatch.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import trainwatch.search.EdgeWarning;
import trainwatch.search.Param;
import trainwatch.sweep.SweepLedger.TrialState;

/** A sweep's summary and detail, computed from its ledger (callers hold the sweeper's lock or own a private copy). */
final class SweepViews {
    private SweepViews() {}

    static SweepView summary(Sweeper s) {
        SweepSpec spec = s.spec;
        SweepLedger l = s.ledger;
        int[] c = new int[8];
        TrialState best = null;
        for (TrialState t : l.trials()) {
            switch (t.status()) {
                case "queued" -> c[0]++;
                case "running" -> c[1]++;
                case "finished" -> c[2]++;
                case "pruned" -> c[3]++;
                case "failed" -> c[4]++;
                case "diverged" -> c[5]++;
                case "stopped" -> c[6]++;
                case "interrupted" -> c[7]++;
                default -> { }
            }
            if ("finished".equals(t.end) && t.value != null && (best == null || spec.goal().better(t.value, best.value))) best = t;
        }
        return new SweepView(s.id, spec.name(), l.state, l.reason, spec.method(),
                new SweepView.Metric(spec.tag(), spec.goal().name().toLowerCase(Locale.ROOT)), spec.earlyStop().type(),
                spec.trials(), spec.parallel(), spec.parent(), l.created,
                new SweepView.Counts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]),
                best == null ? null : new SweepView.Best(best.run, best.n, best.value, best.values), s.owner());
    }

    static SweepDetail detail(Sweeper s) {
        List<ParamView> params = new ArrayList<>();
        for (Param p : s.spec.space().list()) params.add(ParamView.of(p));
        List<TrialView> trials = new ArrayList<>();
        for (TrialState t : s.ledger.trials()) trials.add(t.view());
        List<SweepDetail.WarningView> warnings = new ArrayList<>();
        for (EdgeWarning w : EdgeWarning.check(s.spec.space(), s.history(), s.spec.goal()))
            warnings.add(new SweepDetail.WarningView(w.path(), w.side().name().toLowerCase(Locale.ROOT), w.value(), w.message()));
        return SweepDetail.of(summary(s), s.spec.raw(), params, trials, warnings);
    }

}
