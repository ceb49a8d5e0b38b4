package trainwatch.run.kubernetes;


import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The only class that calls the Kubernetes API, one method per call; each names the RBAC verb it needs,
 * and {@link K8sAccess#RULES} (and docker/k8s/role.yaml) lists exactly these.
 */
final class Cluster {
    /** Informers re-list this often as a safety net besides their watch (and after the API server comes back). */
    static final long RESYNC_MS = 5 * 60_000;

    private final KubernetesClient client;
    private final String namespace;

    Cluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** jobs: list (limit 1): reachable, and allowed to. Throws KubernetesClientException. */
    void probe() {
        client.batch().v1().jobs().inNamespace(namespace).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    }

    /** jobs: create. */
    Job createJob(Job job) {
        return client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
    }

    /** secrets: create. */
    Secret createSecret(Secret secret) {
        return client.secrets().inNamespace(namespace).resource(secret).create();
    }

    /** jobs: delete; foreground, so the Job is gone only after its pod has ended (its trainer had the grace period to report). */
    void deleteJob(String name, long graceSeconds) {
        client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .withGracePeriod(graceSeconds).delete();
    }

    /** pods/log: get, the last {@code maxBytes}. */
    String podLog(String pod, int maxBytes) {
        return client.pods().inNamespace(namespace).withName(pod).limitBytes(maxBytes).getLog();
    }

    /** jobs: list + watch, trainwatch's only. Not started. */
    SharedIndexInformer<Job> jobInformer(ResourceEventHandler<Job> handler) {
        SharedIndexInformer<Job> i = client.batch().v1().jobs().inNamespace(namespace).withLabel(JobSpecs.MANAGED_BY, JobSpecs.MANAGER)
                .runnableInformer(RESYNC_MS);
        i.addEventHandler(handler);
        i.exceptionHandler((started, t) -> true); // keep retrying while the API server is away
        return i;
    }

    /** pods: list + watch, of trainwatch's Jobs only. Not started. */
    SharedIndexInformer<Pod> podInformer(ResourceEventHandler<Pod> handler) {
        SharedIndexInformer<Pod> i = client.pods().inNamespace(namespace).withLabel(JobSpecs.MANAGED_BY, JobSpecs.MANAGER).runnableInformer(RESYNC_MS);
        i.addEventHandler(handler);
        i.exceptionHandler((started, t) -> true);
        return i;
    }

    /** 409 AlreadyExists: the Job of this run is there already (created before a restart, or by a racing call). */
    static boolean alreadyExists(KubernetesClientException e) {
        return e.getCode() == 409;
    }

    /** A refusal the API server gave with a status (403 forbidden or over quota, 422 invalid, 400 bad request...), not a transport failure. */
    static boolean refused(KubernetesClientException e) {
        return e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 409 && e.getCode() != 408 && e.getCode() != 429;
    }

    /** Kubernetes' own message for a refusal, on one line. */
    static String message(KubernetesClientException e) {
        String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        if (m == null) m = e.toString();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 600 ? m.substring(0, 600) + "..." : m;
    }
}
