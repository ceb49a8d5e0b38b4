package trainwatch.ensemble;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * runs/.ensembles/&lt;id&gt;/status.json. {@code status}: waiting (for member runs to finish), queued,
 * running (pid = the evaluation process), finished or failed (with a reason). The evaluation process
 * writes running, then finished or failed; the server writes waiting, queued and a failed it decides
 * (a member run that ended without finishing). A running status whose process is gone reads failed.
 */
public record EnsembleState(String status, String reason, long pid, long updated) {
    public static final String WAITING = "waiting", QUEUED = "queued", RUNNING = "running", FINISHED = "finished", FAILED = "failed";
    static final String VANISHED = "the evaluation process ended without a result (killed?)";

    public EnsembleState {
        reason = reason == null ? "" : reason;
    }

    @JsonIgnore
    public boolean isFinal() {
        return status.equals(FINISHED) || status.equals(FAILED);
    }

    /** A running state whose process is gone was killed before it could write its result. */
    public EnsembleState resolved() {
        if (!status.equals(RUNNING) || pid <= 0) return this;
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? this : new EnsembleState(FAILED, VANISHED, pid, updated);
    }
}
