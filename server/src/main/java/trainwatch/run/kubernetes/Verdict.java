package trainwatch.run.kubernetes;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import trainwatch.event.RunStatus;

/**
 * What a run's Job and pods say about the run (docs/kubernetes.md, "Status mapping"). Pure: the executor
 * records it unless the trainer has already reported a final status of its own, which always wins.
 * {@code status} null with {@code trainerOwn} = the Job succeeded: the trainer's own final status stands.
 * {@code exitUnseen}: the Job failed but none of its pods shows yet how it ended (the pod's update can trail the
 * Job's); the reason then lacks the exit code and message, and a caller waits a moment for them ({@link ExitWait}).
 */
public record Verdict(RunStatus status, String reason, boolean trainerOwn, boolean exitUnseen) {
    /** Waiting reasons a pod never leaves by itself: the run fails with them and its Job is deleted. */
    static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerError");

    static Verdict of(RunStatus s, String reason) {
        return new Verdict(s, reason, false, false);
    }

    /**
     * The verdict for a Job that exists (null = gone) and its pods. Order: what ended the pod from outside
     * (eviction, the OOM killer, a disruption) over the Job's failure, over its success, over running, over pending.
     */
    public static Verdict of(Job job, List<Pod> pods) {
        List<Pod> newestFirst = pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()).reversed())
                .toList();
        for (Pod p : newestFirst) {
            Verdict outside = endedFromOutside(p);
            if (outside != null) return outside;
        }
        if (job == null) return null;
        JobCondition failed = condition(job, "Failed");
        if (failed != null) {
            String why = "Kubernetes: Job failed" + detail(failed.getReason(), failed.getMessage());
            String container = newestFirst.stream().map(Verdict::terminated).filter(t -> t != null).findFirst().orElse("");
            return new Verdict(RunStatus.FAILED, why + container, false, newestFirst.stream().noneMatch(Verdict::ended));
        }
        if (condition(job, "Complete") != null || condition(job, "SuccessCriteriaMet") != null)
            return new Verdict(null, "the trainer's Job succeeded", true, false);
        for (Pod p : newestFirst) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Running".equals(phase))
                return of(RunStatus.RUNNING, "pod " + p.getMetadata().getName() + " running" + (p.getSpec() != null && p.getSpec().getNodeName() != null
                        ? " on node " + p.getSpec().getNodeName() : ""));
            if ("Pending".equals(phase) || phase == null) return pending(p);
        }
        return of(RunStatus.QUEUED, "Job " + job.getMetadata().getName() + " created, waiting for its pod");
    }

    /** Evicted, OOM-killed or disrupted (preempted, node drained): interrupted with Kubernetes' reason; resumable by a person. */
    private static Verdict endedFromOutside(Pod p) {
        var st = p.getStatus();
        if (st == null) return null;
        if ("Evicted".equals(st.getReason()))
            return of(RunStatus.INTERRUPTED, "evicted by Kubernetes" + detail(null, st.getMessage()));
        for (ContainerStatus c : containers(p)) {
            ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
            if (t == null && c.getLastState() != null) t = c.getLastState().getTerminated();
            if (t != null && "OOMKilled".equals(t.getReason()))
                return of(RunStatus.INTERRUPTED, "OOMKilled by Kubernetes: the trainer used more memory than its limit"
                        + limit(p) + " (exit code " + t.getExitCode() + ")");
        }
        if ("Failed".equals(st.getPhase())) {
            PodCondition d = podCondition(p, "DisruptionTarget");
            if (d != null && "True".equals(d.getStatus())) return of(RunStatus.INTERRUPTED, "Kubernetes ended the pod" + detail(d.getReason(), d.getMessage()));
        }
        return null;
    }

    private static Verdict pending(Pod p) {
        for (ContainerStatus c : containers(p)) {
            ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
            if (w != null && HOPELESS.contains(w.getReason()))
                return of(RunStatus.FAILED, "Kubernetes cannot start the trainer" + detail(w.getReason(), w.getMessage()));
            if (w != null && w.getReason() != null) return of(RunStatus.QUEUED, "pod pending" + detail(w.getReason(), w.getMessage()));
        }
        PodCondition scheduled = podCondition(p, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus()))
            return of(RunStatus.QUEUED, "waiting for the cluster" + detail(scheduled.getReason(), scheduled.getMessage()));
        return of(RunStatus.QUEUED, "pod " + p.getMetadata().getName() + " pending");
    }

    private static String terminated(Pod p) {
        for (ContainerStatus c : containers(p)) {
            ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
            if (t == null) continue;
            String msg = t.getMessage() == null ? "" : t.getMessage().strip();
            if (msg.length() > 500) msg = "..." + msg.substring(msg.length() - 500);
            return "; the trainer exited with code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")")
                    + (msg.isEmpty() ? "" : ": " + msg.replaceAll("\\s*\\n\\s*", " | "));
        }
        return null;
    }

    /** The pod has ended as far as its status shows: a terminated container, or a final phase. */
    private static boolean ended(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return terminated(p) != null || "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private static String limit(Pod p) {
        if (p.getSpec() == null || p.getSpec().getContainers() == null) return "";
        for (var c : p.getSpec().getContainers()) {
            if (c.getResources() != null && c.getResources().getLimits() != null && c.getResources().getLimits().get("memory") != null)
                return " of " + c.getResources().getLimits().get("memory").toString();
        }
        return "";
    }

    private static List<ContainerStatus> containers(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of() : p.getStatus().getContainerStatuses();
    }

    private static JobCondition condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
        for (JobCondition c : job.getStatus().getConditions()) if (type.equals(c.getType()) && "True".equals(c.getStatus())) return c;
        return null;
    }

    private static PodCondition podCondition(Pod p, String type) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) return null;
        for (PodCondition c : p.getStatus().getConditions()) if (type.equals(c.getType())) return c;
        return null;
    }

    private static String detail(String reason, String message) {
        boolean r = reason != null && !reason.isBlank(), m = message != null && !message.isBlank();
        return r && m ? " (" + reason + ": " + message.strip() + ")" : r ? " (" + reason + ")" : m ? " (" + message.strip() + ")" : "";
    }
}
