package trainwatch.run.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import trainwatch.event.RunStatus;

/**
 * What a check's Job and pods say about the check, mapped as a run's are ({@link Verdict}): pending reads
 * {@code queued}, a running pod {@code running}, a failed Job {@code fail} with Kubernetes' reason, an evicted,
 * OOM-killed or disrupted pod {@code fail} with "interrupted: " and the reason. {@code status} is the run
 * status the same facts would give a run (kept in the check's details). {@code ended}: nothing more will come
 * from this Job, so a check without its result is settled as failed. {@code exitUnseen}: as {@link Verdict}'s. Pure.
 */
record CheckVerdict(String outcome, String summary, RunStatus status, boolean ended, boolean exitUnseen) {
    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String FAIL = "fail";

    /** job null = gone (deleted, or its TTL passed); null when there is nothing to say yet. */
    static CheckVerdict of(String check, String jobName, Job job, List<Pod> pods) {
        Verdict v = Verdict.of(job, pods);
        if (v == null) {
            return job != null ? null
                    : new CheckVerdict(FAIL, "its Kubernetes Job " + jobName + " was deleted before the check reported a result", RunStatus.INTERRUPTED, true, false);
        }
        if (v.trainerOwn())
            return new CheckVerdict(FAIL, "the check's Job succeeded but its result never arrived", RunStatus.INTERRUPTED, true, false);
        String reason = v.reason().replace("the trainer", "the " + check + " check"); // Verdict speaks of trainers
        return switch (v.status()) {
            case QUEUED -> new CheckVerdict(QUEUED, reason, RunStatus.QUEUED, job == null, false);
            case RUNNING -> new CheckVerdict(RUNNING, "the " + check + " check is running (" + reason + ")", RunStatus.RUNNING, job == null, false);
            case INTERRUPTED -> new CheckVerdict(FAIL, "interrupted: " + reason, RunStatus.INTERRUPTED, true, false);
            default -> new CheckVerdict(FAIL, reason, RunStatus.FAILED, true, v.exitUnseen());
        };
    }
}
