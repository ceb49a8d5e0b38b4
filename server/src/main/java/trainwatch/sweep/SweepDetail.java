package trainwatch.sweep;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

/** GET /api/sweeps/{id}: the summary's keys plus spec, params, trials and warnings (docs/sweeps.md "Detail"). */
public record SweepDetail(@JsonUnwrapped SweepView summary, JsonNode spec, List<ParamView> params, List<TrialView> trials,
                          List<WarningView> warnings) {

    /** "the best trial's value sits at the edge of its range": widen that side before refining. */
    public record WarningView(String path, String side, Object value, String message) {}
}
