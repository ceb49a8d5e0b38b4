package trainwatch.event;

import java.util.Objects;

/** A lifecycle change; {@code reason} says why (may be empty, never null). */
public record StatusChange(long seq, long wallMs, RunStatus status, String reason) implements RunEvent {
    public StatusChange {
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
    }
}
