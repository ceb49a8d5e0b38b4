package trainwatch.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.Scalars;
import trainwatch.event.Tags;
import trainwatch.store.RunReader;
import trainwatch.store.RunState;

/** Builds the JSON-shaped views of a run from its reader (list rows, the detail page, alerts, checks). */
final class RunViews {
    private RunViews() {}

    /** {@code s} is the run's state as read by {@link RunStates} (an unreadable status.json reads failed). */
    static RunSummary summary(String id, RunReader r, RunState s) {
        JsonNode config = Json.tree(r.configJson());
        Scalars latest = r.latest();
        Double loss = latest == null ? null : latest.value(Tags.LOSS);
        Double valAcc = latest == null ? null : latest.value(Tags.VAL_ACC);
        BestValAcc.Best best = BestValAcc.of(id, r);
        return new RunSummary(id, text(config, "name"), text(config, "dataset"), s.status().wire(), s.reason(),
                latest == null ? -1 : latest.step(), s.createdMs(), s.updatedMs(), r.lastSeq(), loss, valAcc, best.value(), best.step());
    }

    static Map<String, Object> detail(String id, RunReader r, RunState s) {
        RunSummary sum = summary(id, r, s);
        JsonNode config = Json.tree(r.configJson());
        Scalars latest = r.latest();
        Map<String, Object> values = new LinkedHashMap<>();
        if (latest != null) for (int i = 0; i < latest.tags().length; i++) values.put(latest.tags()[i], latest.values()[i]);
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("step", sum.step());
        progress.put("total", totalSteps(config));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", sum.name());
        m.put("status", sum.status());
        m.put("reason", sum.reason());
        m.put("created", sum.created());
        m.put("updated", sum.updated());
        m.put("pid", s.pid());
        m.put("seq", sum.seq());
        m.put("config", config);
        m.put("progress", progress);
        m.put("latest", values);
        m.put("best_val_acc", sum.bestValAcc());
        m.put("best_val_acc_step", sum.bestValAccStep());
        m.put("tags", r.tags());
        m.put("filter_steps", r.filterSteps().size());
        m.put("checks", checks(r.checks()));
        m.put("alerts", alerts(r.alerts()));
        return m;
    }

    static List<Map<String, Object>> alerts(List<Alert> alerts) {
        return alerts.stream().map(RunViews::alert).toList();
    }

    static Map<String, Object> alert(Alert a) {
        return EventJson.alert(new LinkedHashMap<>(), a);
    }

    static List<Map<String, Object>> checks(List<CheckResult> checks) {
        return checks.stream().map(RunViews::check).toList();
    }

    static Map<String, Object> check(CheckResult c) {
        CheckResult shown = StaleChecks.resolve(c);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", shown.seq());
        return EventJson.check(m, shown);
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
