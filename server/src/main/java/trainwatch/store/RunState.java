package trainwatch.store;

import trainwatch.event.RunStatus;

/** status.json: the run's current status and who owns it. pid = trainer pid or 0. */
public record RunState(RunStatus status, String reason, long updatedMs, long pid, long createdMs) {
    public RunState {
        reason = reason == null ? "" : reason;
    }
}
