package trainwatch.sweep;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of events.jsonl (docs/sweeps.md); the whole state of a sweep is a replay of them.
 * Fields a type does not use are left out of the line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepEvent(String type, Integer n, String run, Map<String, Object> values, Long t, Integer epoch, Double value,
                         String status, Integer epochs, String reason, String of, String state) {
    public static final String TRIAL = "trial", REPORT = "report", END = "end", RETRY = "retry", STATE = "state";

    /** Trial n is given this run id (written before the run is created). */
    static SweepEvent trial(int n, String run, Map<String, Object> values, long t) {
        return new SweepEvent(TRIAL, n, run, values, t, null, null, null, null, null, null, null);
    }

    /** What the early stopping was told: the metric after {@code epoch} epochs. */
    static SweepEvent report(String run, int epoch, double value) {
        return new SweepEvent(REPORT, null, run, null, null, epoch, finite(value), null, null, null, null, null);
    }

    static SweepEvent end(String run, String status, Double value, int epochs, String reason) {
        return new SweepEvent(END, null, run, null, null, null, value == null ? null : finite(value), status, epochs, reason, null, null);
    }

    /** An interrupted trial runs again under a new run id. */
    static SweepEvent retry(int n, String run, String of) {
        return new SweepEvent(RETRY, n, run, null, null, null, null, null, null, null, of, null);
    }

    static SweepEvent state(String state, String reason, long t) {
        return new SweepEvent(STATE, null, null, null, t, null, null, null, null, reason == null || reason.isEmpty() ? null : reason, null, state);
    }

    /** JSON has no NaN: a non-finite value is stored as absent (it counts as the worst anyway). */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
