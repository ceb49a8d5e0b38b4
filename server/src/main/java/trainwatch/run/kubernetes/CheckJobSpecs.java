package trainwatch.run.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import trainwatch.config.Resources;

/**
 * What a check of a run becomes on the kubernetes executor: a batch/v1 Job running this image's jar as
 * {@code check NAME --remote URL --run ID} (it reports through POST /api/ingest/runs/{id}/checks/{name}), and
 * a Secret with the check's key and the run's config, owned by the Job. The labels name the run and the check
 * but are not the run's own ({@link JobSpecs#runOf} is null for them), so the run's informer never mistakes a
 * check's pod for its trainer. One Job per start (its name carries the start time): a check started again
 * after its result never waits for the old Job's TTL. Pure: no API calls.
 */
public final class CheckJobSpecs {
    private CheckJobSpecs() {}

    public static final String CHECK_LABEL = "trainwatch/check";
    public static final String CHECK_RUN_LABEL = "trainwatch/check-run";
    /** On the Job and its pods: tells the pods of this start from those of an earlier start of the same check. */
    public static final String CHECK_JOB_LABEL = "trainwatch/check-job";
    /** The run id as written (a label value is limited to 63 characters). */
    public static final String CHECK_RUN_ANNOTATION = "trainwatch/check-run-id";
    public static final String CONTAINER = "check";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** tw-ID-CHECK-T (T = the start time in base 36), or a hashed form when that would not be a valid name. */
    public static String jobName(String runId, String check, long startedMs) {
        String t = Long.toString(startedMs, 36);
        String name = "tw-" + runId + "-" + check + "-" + t;
        return DNS_LABEL.matcher(name).matches() ? name : "tw-" + hashed(runId) + "-" + check + "-" + t;
    }

    public static Map<String, String> labels(String runId, String check, String job) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(JobSpecs.MANAGED_BY, JobSpecs.MANAGER);
        m.put(CHECK_RUN_LABEL, JobSpecs.runLabel(runId));
        m.put(CHECK_LABEL, check);
        m.put(CHECK_JOB_LABEL, job);
        return m;
    }

    public static List<String> args(JobSpecs.Template t, String runId, String check) {
        return List.of("check", check, "--remote", t.publicUrl(), "--run", runId);
    }

    public static Job job(JobSpecs.Template t, String runId, String check, String name, Resources resources) {
        Map<String, String> labels = labels(runId, check, name);
        Map<String, String> annotations = Map.of(CHECK_RUN_ANNOTATION, runId);
        EnvVar key = fromSecret(JobSpecs.KEY_ENV, name, JobSpecs.KEY_ENTRY);
        EnvVar config = fromSecret(JobSpecs.CONFIG_ENV, name, JobSpecs.CONFIG_ENTRY);
        String threads = resources.cpu() == null ? "1" : String.valueOf(Math.max(1, (int) Math.floor(JobSpecs.cores(resources.cpu()))));
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (resources.cpu() != null) amounts.put("cpu", new Quantity(resources.cpu()));
        if (resources.memory() != null) amounts.put("memory", new Quantity(resources.memory()));
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(t.namespace()).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0) // no retries by Kubernetes: a person starts the check again
                    .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, t.ttlSeconds()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withTerminationGracePeriodSeconds(t.graceSeconds())
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(t.image())
                                .withArgs(args(t, runId, check))
                                .withEnv(key, config, new EnvVarBuilder().withName("OMP_NUM_THREADS").withValue(threads).build())
                                .withResources(new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build())
                                .withTerminationMessagePolicy("FallbackToLogsOnError") // a failed check's last lines become its reason
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The check's key (it can report this one check of this one run) and the run's config, owned by the check's Job. */
    public static Secret secret(JobSpecs.Template t, String runId, String check, String name, String key, String configJson, Job owner) {
        return new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(t.namespace()).withLabels(labels(runId, check, name))
                    .withAnnotations(Map.of(CHECK_RUN_ANNOTATION, runId))
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(false).endOwnerReference()
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(JobSpecs.KEY_ENTRY, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)),
                        JobSpecs.CONFIG_ENTRY, Base64.getEncoder().encodeToString(configJson.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** The run a check's Job or pod belongs to, or null when it is not a check's. */
    public static String runOf(ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null || !meta.getLabels().containsKey(CHECK_LABEL)) return null;
        if (meta.getAnnotations() != null && meta.getAnnotations().get(CHECK_RUN_ANNOTATION) != null) return meta.getAnnotations().get(CHECK_RUN_ANNOTATION);
        return meta.getLabels().get(CHECK_RUN_LABEL);
    }

    /** The check Job a Job or pod belongs to (its name), or null. */
    public static String jobOf(ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? null : meta.getLabels().get(CHECK_JOB_LABEL);
    }

    private static EnvVar fromSecret(String env, String secret, String entry) {
        return new EnvVarBuilder().withName(env)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(entry).endSecretKeyRef().endValueFrom().build();
    }

    private static String hashed(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "h" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
