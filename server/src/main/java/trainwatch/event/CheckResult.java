package trainwatch.event;

import java.util.Objects;

/**
 * The outcome of a sanity check or lab check (initial_loss, reg_raises_loss,
 * overfit, gradients). {@code outcome}: a {@link CheckOutcome} word ("pass", "warn", "fail").
 * {@code detailsJson}: a JSON object with the numbers (kept as text so the
 * store does not depend on a JSON library).
 */
public record CheckResult(long seq, long wallMs, String check, String outcome, String summary, String detailsJson) implements RunEvent {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(outcome, "outcome");
        summary = summary == null ? "" : summary;
        detailsJson = detailsJson == null ? "{}" : detailsJson;
    }
}
