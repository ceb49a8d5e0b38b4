package trainwatch.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.Scalars;
import trainwatch.event.Tags;
import trainwatch.json.AlertView;
import trainwatch.json.CheckView;
import trainwatch.json.Json;
import trainwatch.store.Resumed;
import trainwatch.store.RunReader;
import trainwatch.store.StatusRecord;

/** Builds the JSON-shaped views of a run from its reader (list rows, the detail page, alerts, checks). */
final class RunViews {
    private RunViews() {}

    /** {@code s} is the run's state as read by {@link EffectiveStatus} (an unreadable status.json reads failed). */
    static RunSummary summary(String id, RunReader r, StatusRecord s) {
        JsonNode config = Json.tree(r.configJson());
        Scalars latest = r.latest();
        Double loss = latest == null ? null : latest.value(Tags.LOSS);
        Double valAcc = latest == null ? null : latest.value(Tags.VAL_ACC);
        BestValAcc.Best best = BestValAcc.of(id, r);
        return new RunSummary(id, text(config, "name"), text(config, "dataset"), s.status().wire(), s.reason(),
                latest == null ? -1 : latest.step(), s.createdMs(), s.updatedMs(), r.lastSeq(), loss, valAcc, best.value(), best.step());
    }

    static RunDetail detail(String id, RunReader r, StatusRecord s, long diskBytes, boolean hasLog, String owner) {
        RunSummary sum = summary(id, r, s);
        JsonNode config = Json.tree(r.configJson());
        Scalars latest = r.latest();
        Map<String, Double> values = new LinkedHashMap<>();
        if (latest != null) for (int i = 0; i < latest.tags().length; i++) values.put(latest.tags()[i], latest.values()[i]);
        return new RunDetail(id, sum.name(), sum.status(), sum.reason(), sum.created(), sum.updated(), s.pid(), sum.seq(), config,
                new RunDetail.Progress(sum.step(), totalSteps(config)), values, sum.bestValAcc(), sum.bestValAccStep(), r.tags(),
                r.filterSteps().size(), checks(r.checks()), alerts(r.alerts()), diskBytes,
                r.resumes().stream().map(Resumed::fromStep).toList(), hasLog, RemoteOrigin.of(config), owner,
                trainwatch.config.StoredConfig.untrainable(config).isEmpty());
    }

    static List<AlertView> alerts(List<Alert> alerts) {
        return alerts.stream().map(AlertView::of).toList();
    }

    static List<CheckView> checks(List<CheckResult> checks) {
        return checks.stream().map(c -> {
            CheckResult shown = StaleChecks.resolve(c);
            return CheckView.of(shown, shown.seq());
        }).toList();
    }

    /** Planned iterations from the config, or null when it cannot be told without the dataset (an estimate for the progress bar). */
    static Long totalSteps(JsonNode config) {
        if (config == null) return null;
        long cap = config.path("maxIterations").asLong(0);
        long train = config.path("trainSize").asLong(0), batch = config.path("batchSize").asLong(0), epochs = config.path("epochs").asLong(0);
        Long planned = train > 0 && batch > 0 && epochs > 0 ? epochs * ((train + batch - 1) / batch) : null;
        if (cap > 0) return planned == null ? cap : Math.min(cap, planned);
        return planned;
    }

    private static String text(JsonNode n, String field) {
        return n == null || !n.hasNonNull(field) ? "" : n.get(field).asText();
    }
}
