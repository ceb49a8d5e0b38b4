package trainwatch.event;

import java.util.Objects;

/**
 * Something a careful person would notice while babysitting a run.
 * kind: e.g. "nonfinite", "loss_exploding", "diverged", "update_ratio_high", "update_ratio_low", "overfitting", "plateau".
 * tag: the metric it concerns (e.g. "update_ratio/conv1"), may be empty.
 * advice: what to try. severity: from the kind ({@link AlertSeverity#of}).
 */
public record Alert(long seq, long step, long wallMs, String kind, String tag, String message, String advice, AlertSeverity severity)
        implements RunEvent {
    public Alert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        tag = tag == null ? "" : tag;
        advice = advice == null ? "" : advice;
        severity = severity == null ? AlertSeverity.of(kind) : severity;
    }

    /** An alert whose severity is its kind's (how the store reads every alert back). */
    public Alert(long seq, long step, long wallMs, String kind, String tag, String message, String advice) {
        this(seq, step, wallMs, kind, tag, message, advice, AlertSeverity.of(kind));
    }
}
