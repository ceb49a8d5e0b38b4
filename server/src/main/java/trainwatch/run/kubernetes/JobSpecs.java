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
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import trainwatch.config.Resources;

/**
 * What the kubernetes executor creates for a run: a batch/v1 Job running this image's jar as
 * {@code train --remote URL --run ID} (the trainer reports through the ingest API with its spool), and a
 * Secret holding the run's ingest key, owned by the Job so it is deleted with it. Pure: no API calls.
 */
public final class JobSpecs {
    private JobSpecs() {}

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "trainwatch";
    public static final String RUN_LABEL = "trainwatch/run";
    /** The run id as written (a label value is limited to 63 characters; the annotation is not). */
    public static final String RUN_ANNOTATION = "trainwatch/run-id";
    public static final String KEY_ENTRY = "ingest-key";
    public static final String CONFIG_ENTRY = "run-config";
    /** The run's config for the trainer (so it needs no token to read it from the server). */
    public static final String CONFIG_ENV = "TRAINWATCH_RUN_CONFIG";
    public static final String CONTAINER = "trainer";
    /** The environment variable `train --remote URL --run ID` reads the key from (never an argument: ps shows those). */
    public static final String KEY_ENV = "TRAINWATCH_INGEST_KEY";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** How every Job of one server looks: image, the URL pods reach the server at, TTL and stop grace. */
    public record Template(String namespace, String image, String publicUrl, long ttlSeconds, long graceSeconds) {
        public Template {
            if (namespace == null || !DNS_LABEL.matcher(namespace).matches())
                throw new IllegalArgumentException("--k8s-namespace must be a Kubernetes namespace name (got " + namespace + ")");
            if (image == null || image.isBlank()) throw new IllegalArgumentException("--k8s-image is required with --executor kubernetes");
            if (publicUrl == null || !(publicUrl.startsWith("http://") || publicUrl.startsWith("https://")))
                throw new IllegalArgumentException("--public-url must be the http(s) URL pods reach this server at (got " + publicUrl + ")");
            if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
            if (ttlSeconds < 0) throw new IllegalArgumentException("ttlSeconds must be >= 0, got " + ttlSeconds);
            if (graceSeconds < 1) throw new IllegalArgumentException("graceSeconds must be >= 1, got " + graceSeconds);
        }
    }

    /** Job (and Secret) name of a run: tw-ID, or a hashed form when the id would not make a valid name. */
    public static String jobName(String runId) {
        String name = "tw-" + runId;
        return DNS_LABEL.matcher(name).matches() ? name : "tw-" + hashed(runId);
    }

    /** The run id as a label value (63 characters at most, alphanumeric at both ends), hashed when it cannot be one. */
    public static String runLabel(String runId) {
        return DNS_LABEL.matcher(runId).matches() ? runId : hashed(runId);
    }

    public static Map<String, String> labels(String runId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MANAGED_BY, MANAGER);
        m.put(RUN_LABEL, runLabel(runId));
        return m;
    }

    public static List<String> args(Template t, String runId) {
        return List.of("train", "--remote", t.publicUrl(), "--run", runId);
    }

    public static Job job(Template t, String runId, Resources resources) {
        Map<String, String> labels = labels(runId);
        Map<String, String> annotations = Map.of(RUN_ANNOTATION, runId);
        EnvVar key = new EnvVarBuilder().withName(KEY_ENV)
                .withNewValueFrom().withNewSecretKeyRef().withName(jobName(runId)).withKey(KEY_ENTRY).endSecretKeyRef().endValueFrom().build();
        EnvVar config = new EnvVarBuilder().withName(CONFIG_ENV)
                .withNewValueFrom().withNewSecretKeyRef().withName(jobName(runId)).withKey(CONFIG_ENTRY).endSecretKeyRef().endValueFrom().build();
        // one native thread per requested core (the trainer's default is 1), never more than the limit allows
        String threads = resources.cpu() == null ? "1" : String.valueOf(Math.max(1, (int) Math.floor(cores(resources.cpu()))));
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (resources.cpu() != null) amounts.put("cpu", new Quantity(resources.cpu()));
        if (resources.memory() != null) amounts.put("memory", new Quantity(resources.memory()));
        return new JobBuilder()
                .withNewMetadata().withName(jobName(runId)).withNamespace(t.namespace()).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0) // no retries by Kubernetes: trainwatch decides (resume, sweep)
                    .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, t.ttlSeconds()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withTerminationGracePeriodSeconds(t.graceSeconds()) // SIGTERM: the trainer records 'stopped' itself
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(t.image())
                                .withArgs(args(t, runId))
                                .withEnv(key, config, new EnvVarBuilder().withName("OMP_NUM_THREADS").withValue(threads).build())
                                .withResources(new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build())
                                .withTerminationMessagePolicy("FallbackToLogsOnError") // a failed pod's last lines become its reason
                                .addNewVolumeMount().withName("scratch").withMountPath("/app/runs").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume() // spool and checkpoints
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The run's ingest key and config, owned by its Job (garbage-collected with it). */
    public static Secret secret(Template t, String runId, String ingestKey, String configJson, Job owner) {
        return new SecretBuilder()
                .withNewMetadata().withName(jobName(runId)).withNamespace(t.namespace()).withLabels(labels(runId))
                    .withAnnotations(Map.of(RUN_ANNOTATION, runId))
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(false).endOwnerReference()
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(KEY_ENTRY, Base64.getEncoder().encodeToString(ingestKey.getBytes(StandardCharsets.UTF_8)),
                        CONFIG_ENTRY, Base64.getEncoder().encodeToString(configJson.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** The run a Job or pod belongs to: its annotation, else its label. */
    public static String runOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        if (meta == null) return null;
        if (meta.getAnnotations() != null && meta.getAnnotations().get(RUN_ANNOTATION) != null) return meta.getAnnotations().get(RUN_ANNOTATION);
        return meta.getLabels() == null ? null : meta.getLabels().get(RUN_LABEL);
    }

    static double cores(String cpu) {
        return cpu.endsWith("m") ? Double.parseDouble(cpu.substring(0, cpu.length() - 1)) / 1000 : Double.parseDouble(cpu);
    }

    private static String hashed(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "h" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
