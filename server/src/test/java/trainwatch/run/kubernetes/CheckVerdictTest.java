package trainwatch.run.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import trainwatch.config.Resources;

/** A check's Job and pods read as a run's would, in the check's words; and the names a check's Job gets. Pure. */
class CheckVerdictTest {
    static final JobSpecs.Template T = new JobSpecs.Template("ns", "img:1", "http://tw:7070", 600, 10);

    @Test
    void pending_reads_queued_running_reads_running_and_neither_ends_the_check() {
        Job job = CheckJobSpecs.job(T, "r1", "overfit", "tw-r1-overfit-x", Resources.NONE);
        CheckVerdict none = CheckVerdict.of("overfit", "tw-r1-overfit-x", job, List.of());
        assertEquals("queued", none.outcome());
        assertEquals(false, none.ended());
        CheckVerdict running = CheckVerdict.of("overfit", "tw-r1-overfit-x", job, List.of(pod("Running", null)));
        assertEquals("running", running.outcome());
        assertTrue(running.summary().startsWith("the overfit check is running"), running.summary());
    }

    @Test
    void oom_killed_is_fail_interrupted_in_the_checks_words_and_a_job_gone_or_complete_without_result_is_fail() {
        Job job = CheckJobSpecs.job(T, "r1", "gradients", "tw-r1-gradients-x", new Resources(null, "1Gi"));
        Pod oom = pod("Failed", new ContainerStatusBuilder().withName("check").withNewState().withNewTerminated().withExitCode(137)
                .withReason("OOMKilled").endTerminated().endState().build());
        oom.getSpec().setContainers(job.getSpec().getTemplate().getSpec().getContainers());
        CheckVerdict v = CheckVerdict.of("gradients", "tw-r1-gradients-x", job, List.of(oom));
        assertEquals("fail", v.outcome());
        assertEquals("interrupted", v.status().wire());
        assertTrue(v.ended());
        assertTrue(v.summary().startsWith("interrupted: OOMKilled by Kubernetes: the gradients check used more memory than its limit of 1Gi"), v.summary());

        CheckVerdict gone = CheckVerdict.of("gradients", "tw-r1-gradients-x", null, List.of());
        assertEquals("fail", gone.outcome());
        assertTrue(gone.summary().contains("deleted before the check reported"), gone.summary());

        Job done = new JobBuilder(job).withNewStatus().addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build();
        CheckVerdict complete = CheckVerdict.of("gradients", "tw-r1-gradients-x", done, List.of());
        assertEquals("fail", complete.outcome());
        assertTrue(complete.summary().contains("result never arrived"), complete.summary());
    }

    @Test
    void a_checks_job_is_named_per_start_labelled_with_its_run_and_check_and_never_read_as_the_runs_own() {
        assertEquals("tw-20261203-140102-1x9z-overfit-" + Long.toString(1795710902000L, 36), CheckJobSpecs.jobName("20261203-140102-1x9z", "overfit", 1795710902000L));
        String longId = "a".repeat(64);
        String hashed = CheckJobSpecs.jobName(longId, "gradients", 1795710902000L);
        assertTrue(hashed.length() <= 63 && hashed.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?") && hashed.contains("-gradients-"), hashed);
        Job job = CheckJobSpecs.job(T, longId, "gradients", hashed, Resources.NONE);
        assertEquals(longId, CheckJobSpecs.runOf(job.getMetadata()), "the annotation keeps the id a label cannot hold");
        assertEquals(hashed, CheckJobSpecs.jobOf(job.getSpec().getTemplate().getMetadata()));
        assertNull(JobSpecs.runOf(job.getMetadata()), "a check's Job is not its run's Job");
        assertNull(CheckJobSpecs.runOf(JobSpecs.job(T, "r1", Resources.NONE).getMetadata()), "nor is a run's Job a check's");
        assertEquals(Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/check-run", JobSpecs.runLabel(longId),
                "trainwatch/check", "gradients", "trainwatch/check-job", hashed), job.getMetadata().getLabels());
    }

    static Pod pod(String phase, io.fabric8.kubernetes.api.model.ContainerStatus status) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp("2026-12-03T20:00:00Z").endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase(phase).endStatus();
        Pod p = b.build();
        if (status != null) p.getStatus().setContainerStatuses(List.of(status));
        return p;
    }
}
