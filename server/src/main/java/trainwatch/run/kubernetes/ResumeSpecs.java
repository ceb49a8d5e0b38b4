package trainwatch.run.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import trainwatch.config.Resources;

/**
 * The Job of a resumed run: the run's Job ({@link JobSpecs#job}) under a name of its own (the earlier Job
 * may still be there until its TTL), its pods labelled with that name (so the earlier pods no longer speak
 * for the run), its key and config from a Secret of the same name, and {@code TRAINWATCH_RESUME_FROM} naming
 * the checkpoint the trainer fetches from the server and continues from. Pure: no API calls.
 */
public final class ResumeSpecs {
    private ResumeSpecs() {}

    /** The pod label naming the Job a pod belongs to (Kubernetes adds job-name as well; a mock API server does not). */
    public static final String JOB_LABEL = "trainwatch/job";
    /** The checkpoint a resumed trainer continues from (cli.RemoteTrain reads it). */
    public static final String RESUME_ENV = "TRAINWATCH_RESUME_FROM";

    /** The name of a run's {@code attempt}-th resume Job: tw-ID-rN (hashed like any name that would be too long). */
    public static String jobName(String runId, int attempt) {
        return JobSpecs.jobName(runId + "-r" + attempt);
    }

    /** {@code resumeFrom}: a checkpoint zip name, or null when the run has none (it starts over from step 0). */
    public static Job job(JobSpecs.Template t, String runId, String jobName, String resumeFrom, Resources resources) {
        Job base = JobSpecs.job(t, runId, resources);
        Map<String, String> podLabels = new LinkedHashMap<>(JobSpecs.labels(runId));
        podLabels.put(JOB_LABEL, jobName);
        JobBuilder b = new JobBuilder(base).editMetadata().withName(jobName).endMetadata()
                .editSpec().editTemplate().editMetadata().withLabels(podLabels).endMetadata().endTemplate().endSpec();
        Job job = b.build();
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        java.util.List<EnvVar> env = new java.util.ArrayList<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                e = new EnvVarBuilder(e).editValueFrom().editSecretKeyRef().withName(jobName).endSecretKeyRef().endValueFrom().build();
            env.add(e);
        }
        if (resumeFrom != null) env.add(new EnvVarBuilder().withName(RESUME_ENV).withValue(resumeFrom).build());
        container.setEnv(env);
        return job;
    }

    /** The run's key and config for its resume Job, named like it and owned by it. */
    public static io.fabric8.kubernetes.api.model.Secret secret(JobSpecs.Template t, String runId, String ingestKey, String configJson, Job owner) {
        var s = JobSpecs.secret(t, runId, ingestKey, configJson, owner);
        s.getMetadata().setName(owner.getMetadata().getName());
        return s;
    }

    /** Whether a pod belongs to the Job named {@code job}: its label says so; an unlabelled pod belongs to the run's first Job. */
    public static boolean podOf(io.fabric8.kubernetes.api.model.Pod p, String runId, String job) {
        Map<String, String> l = p.getMetadata() == null ? null : p.getMetadata().getLabels();
        String named = l == null ? null : l.getOrDefault(JOB_LABEL, l.get("job-name"));
        return named != null ? named.equals(job) : job.equals(JobSpecs.jobName(runId));
    }
}
