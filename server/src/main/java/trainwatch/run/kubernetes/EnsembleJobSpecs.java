package trainwatch.run.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import trainwatch.config.Resources;

/**
 * The Job of an ensemble evaluation: this image's jar as {@code ensemble --eval ID --remote URL}, labelled with the
 * ensemble (not a run: the run informer leaves it alone), its key and bundle (spec, members' configs and files)
 * from a Secret it owns, no retries, a TTL, the first member's resources. Built from a run's Job
 * ({@link JobSpecs#job}) so both stay alike. Pure: no API calls.
 */
public final class EnsembleJobSpecs {
    private EnsembleJobSpecs() {}

    public static final String ENSEMBLE_LABEL = "trainwatch/ensemble";
    public static final String ENSEMBLE_ANNOTATION = "trainwatch/ensemble-id";
    public static final String KEY_ENV = "TRAINWATCH_EVAL_KEY";
    public static final String BUNDLE_ENV = "TRAINWATCH_ENSEMBLE";
    static final String KEY_ENTRY = "eval-key", BUNDLE_ENTRY = "ensemble";

    public static String jobName(String ensembleId) {
        return JobSpecs.jobName("ens-" + ensembleId);
    }

    public static Map<String, String> labels(String ensembleId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(JobSpecs.MANAGED_BY, JobSpecs.MANAGER);
        m.put(ENSEMBLE_LABEL, JobSpecs.runLabel(ensembleId));
        return m;
    }

    public static List<String> args(JobSpecs.Template t, String ensembleId) {
        return List.of("ensemble", "--eval", ensembleId, "--remote", t.publicUrl());
    }

    public static Job job(JobSpecs.Template t, String ensembleId, Resources resources) {
        String name = jobName(ensembleId);
        Map<String, String> annotations = Map.of(ENSEMBLE_ANNOTATION, ensembleId);
        Job base = JobSpecs.job(t, "ens-" + ensembleId, resources);
        Job job = new JobBuilder(base)
                .editMetadata().withName(name).withLabels(labels(ensembleId)).withAnnotations(annotations).endMetadata()
                .editSpec().editTemplate().editMetadata().withLabels(labels(ensembleId)).withAnnotations(annotations).endMetadata().endTemplate().endSpec()
                .build();
        var c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.setName("evaluation");
        c.setArgs(args(t, ensembleId));
        String threads = c.getEnv().stream().filter(e -> e.getName().equals("OMP_NUM_THREADS")).findFirst().map(e -> e.getValue()).orElse("1");
        c.setEnv(List.of(
                new EnvVarBuilder().withName(KEY_ENV).withNewValueFrom().withNewSecretKeyRef().withName(name).withKey(KEY_ENTRY).endSecretKeyRef().endValueFrom().build(),
                new EnvVarBuilder().withName(BUNDLE_ENV).withNewValueFrom().withNewSecretKeyRef().withName(name).withKey(BUNDLE_ENTRY).endSecretKeyRef().endValueFrom().build(),
                new EnvVarBuilder().withName("OMP_NUM_THREADS").withValue(threads).build()));
        return job;
    }

    /** The evaluation's key and bundle, owned by its Job (garbage-collected with it). */
    public static Secret secret(JobSpecs.Template t, String ensembleId, String key, String bundleJson, Job owner) {
        return new SecretBuilder()
                .withNewMetadata().withName(owner.getMetadata().getName()).withNamespace(t.namespace()).withLabels(labels(ensembleId))
                    .withAnnotations(Map.of(ENSEMBLE_ANNOTATION, ensembleId))
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(false).endOwnerReference()
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(KEY_ENTRY, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)),
                        BUNDLE_ENTRY, Base64.getEncoder().encodeToString(bundleJson.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** The ensemble a Job or pod belongs to, or null for any other. */
    public static String ensembleOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null || !meta.getLabels().containsKey(ENSEMBLE_LABEL)) return null;
        if (meta.getAnnotations() != null && meta.getAnnotations().get(ENSEMBLE_ANNOTATION) != null) return meta.getAnnotations().get(ENSEMBLE_ANNOTATION);
        return meta.getLabels().get(ENSEMBLE_LABEL);
    }
}
