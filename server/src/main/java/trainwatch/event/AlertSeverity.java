package trainwatch.event;

import java.util.Locale;

/**
 * How urgently an alert wants a person: CRITICAL means the run is broken or
 * about to be (NaN, an exploding loss, a divergence stop); WARNING means it is
 * wasting time in a way a change would fix (a learning rate off by orders of
 * magnitude, overfitting); INFO is worth a look, not an interruption (a plateau).
 * Stored nowhere: it follows from the alert's kind, so runs recorded before
 * severities existed read back with the same ones. Sent as the lower-case word.
 */
public enum AlertSeverity {
    INFO, WARNING, CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity of an alert kind; a kind this version does not know is a warning. */
    public static AlertSeverity of(String kind) {
        if (kind == null) return WARNING;
        return switch (kind) {
            case "nonfinite", "loss_exploding", "diverged" -> CRITICAL;
            case "update_ratio_high", "update_ratio_low", "overfitting" -> WARNING;
            case "plateau" -> INFO;
            default -> WARNING;
        };
    }
}
