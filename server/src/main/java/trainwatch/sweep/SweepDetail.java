package trainwatch.sweep;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * GET /api/sweeps/{id} (docs/sweeps.md "Detail"): the summary's keys plus spec, params, trials and warnings.
 * Here {@code trials} is the list of trials; the planned count is {@code spec.trials} (absent for a whole grid).
 */
public record SweepDetail(String id, String name, String state, String reason, String method, SweepView.Metric metric,
                          String earlyStop, int parallel, String parent, long created, SweepView.Counts counts, SweepView.Best best,
                          JsonNode spec, List<ParamView> params, List<TrialView> trials, List<WarningView> warnings, String owner) {

    static SweepDetail of(SweepView s, JsonNode spec, List<ParamView> params, List<TrialView> trials, List<WarningView> warnings) {
        return new SweepDetail(s.id(), s.name(), s.state(), s.reason(), s.method(), s.metric(), s.earlyStop(), s.parallel(), s.parent(),
                s.created(), s.counts(), s.best(), spec, params, trials, warnings, s.owner());
    }

    /** "the best trial's value sits at the edge of its range": widen that side before refining. */
    public record WarningView(String path, String side, Object value, String message) {}
}
