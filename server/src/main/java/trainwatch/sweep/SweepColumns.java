package trainwatch.sweep;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A sweep's detail with its trials as columns (the live socket's {@code sweep} message):
 * {@code sweep} is the summary, {@code trials} the columns; spec, params and warnings as in
 * GET /api/sweeps/{id}.
 */
public record SweepColumns(SweepView sweep, JsonNode spec, List<ParamView> params, List<SweepDetail.WarningView> warnings,
                           TrialColumns trials) {

    static SweepColumns of(SweepView summary, SweepDetail d) {
        List<String> paths = new ArrayList<>();
        for (ParamView p : d.params()) paths.add(p.path());
        return new SweepColumns(summary, d.spec(), d.params(), d.warnings(), TrialColumns.of(d.trials(), paths));
    }
}
