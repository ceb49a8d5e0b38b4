package trainwatch.store;

import java.util.List;

import trainwatch.event.RunStatus;
import trainwatch.event.StatusChange;

/** status.json: the run's current status and who owns it. pid = trainer pid or 0. */
public record StatusRecord(RunStatus status, String reason, long updatedMs, long pid, long createdMs) {
    public StatusRecord {
        reason = reason == null ? "" : reason;
    }

    /**
     * The trainer flushes a STATUS record to the log, then rewrites status.json with the same wall
     * time: between the two the log is newer, and a reader that believed the file would show
     * "running" for a run that already said "diverged" (and never hear of it again).
     */
    public StatusRecord orNewerLogged(List<StatusChange> logged) {
        if (logged.isEmpty()) return this;
        StatusChange last = logged.get(logged.size() - 1);
        if (last.wallMs() <= updatedMs || last.status() == status) return this;
        return new StatusRecord(last.status(), last.reason(), last.wallMs(), pid, createdMs);
    }
}
