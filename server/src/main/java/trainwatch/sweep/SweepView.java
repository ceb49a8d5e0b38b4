package trainwatch.sweep;

import java.util.Map;

/**
 * A sweep's summary (GET /api/sweeps, docs/sweeps.md "Summary"); snake_case through trainwatch.json.Json.
 * {@code best} is null until a trial has finished with a finite value.
 */
public record SweepView(String id, String name, String state, String reason, String method, Metric metric, String earlyStop,
                        int trials, int parallel, String parent, long created, Counts counts, Best best,
                        String owner) {

    /** Without an owner (nobody known: no authentication). */
    public SweepView(String id, String name, String state, String reason, String method, Metric metric, String earlyStop,
                     int trials, int parallel, String parent, long created, Counts counts, Best best) {
        this(id, name, state, reason, method, metric, earlyStop, trials, parallel, parent, created, counts, best, null);
    }

    public record Metric(String tag, String goal) {}

    /** Trials by status; queued and running come from the trial runs' own status. */
    public record Counts(int queued, int running, int finished, int pruned, int failed, int diverged, int stopped, int interrupted) {}

    public record Best(String run, int trial, double value, Map<String, Object> values) {}
}
