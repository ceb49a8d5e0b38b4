package trainwatch.run.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import trainwatch.config.Resources;
import trainwatch.event.RunStatus;
import trainwatch.run.RemoteEvaluations;

/**
 * Ensemble evaluations as Kubernetes Jobs (docs/kubernetes.md "What runs where"): a Job per evaluation
 * ({@link EnsembleJobSpecs}), which reads the members' checkpoints over HTTP and posts its result with its own
 * key; this class only creates and deletes the Jobs and says when one ended without reporting (its Job failed,
 * was refused or deleted, its pod was evicted or OOM-killed: {@link Verdict}). Informers (list + watch, the
 * same verbs as for runs) keep the Jobs and pods with the ensemble label.
 */
public final class EnsembleJobs implements RemoteEvaluations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleJobs.class);
    private static final ResourceEventHandler<Object> IGNORE = new ResourceEventHandler<>() {
        @Override
        public void onAdd(Object o) {}

        @Override
        public void onUpdate(Object a, Object b) {}

        @Override
        public void onDelete(Object o, boolean unknown) {}
    };

    private final Cluster cluster;
    private final JobSpecs.Template template;
    /** Evaluations this server started: the informer having seen the Job, or why it could not be made. */
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    /** When each failed Job was first seen without its pod's exit (ExitWait: the pod's update can trail the Job's). */
    private final Map<String, Long> exitUnseenSince = new ConcurrentHashMap<>();
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;

    EnsembleJobs(Cluster cluster, JobSpecs.Template template) {
        this.cluster = cluster;
        this.template = template;
    }

    @SuppressWarnings("unchecked")
    synchronized void start() {
        if (jobs != null) return;
        jobs = cluster.jobInformer((ResourceEventHandler<Job>) (ResourceEventHandler<?>) IGNORE);
        pods = cluster.podInformer((ResourceEventHandler<Pod>) (ResourceEventHandler<?>) IGNORE);
        jobs.start();
        pods.start();
    }

    @Override
    public void start(String id, String key, String bundleJson, Resources resources) {
        refused.remove(id);
        seen.put(id, false);
        try {
            Job created = cluster.createJob(EnsembleJobSpecs.job(template, id, resources));
            cluster.createSecret(EnsembleJobSpecs.secret(template, id, key, bundleJson, created));
            LOG.info("ensemble {}: Job {} created", id, created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (Cluster.alreadyExists(e)) return; // made before a restart: it reports with the key it has
            refused.put(id, "Kubernetes refused the evaluation's Job (" + e.getCode() + "): " + Cluster.message(e));
        }
    }

    @Override
    public void delete(String id) {
        seen.remove(id);
        refused.remove(id);
        exitUnseenSince.remove(id);
        try {
            cluster.deleteJob(EnsembleJobSpecs.jobName(id), template.graceSeconds());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) LOG.warn("ensemble {}: could not delete its Job: {}", id, Cluster.message(e));
        }
    }

    @Override
    public String failure(String id) {
        String no = refused.get(id);
        if (no != null) return no;
        if (jobs == null || !seen.containsKey(id)) return null;
        Job job = jobs.getStore().getByKey(cluster.namespace() + "/" + EnsembleJobSpecs.jobName(id));
        if (job != null) seen.put(id, true);
        List<Pod> mine = new ArrayList<>();
        for (Pod p : pods.getStore().list()) if (id.equals(EnsembleJobSpecs.ensembleOf(p.getMetadata()))) mine.add(p);
        Verdict v = Verdict.of(job, mine);
        if (v == null) return Boolean.TRUE.equals(seen.get(id)) ? "its Kubernetes Job " + EnsembleJobSpecs.jobName(id) + " was deleted before it reported" : null;
        if (v.trainerOwn()) return "the evaluation's Job succeeded but its result never arrived";
        if (v.status() != RunStatus.FAILED && v.status() != RunStatus.INTERRUPTED) return null;
        if (v.exitUnseen()) { // polled by the ensemble service: answered "not yet" until the pod's exit shows or ExitWait.MS passed
            long since = exitUnseenSince.computeIfAbsent(id, k -> System.currentTimeMillis());
            if (System.currentTimeMillis() - since < ExitWait.MS) return null;
        }
        return v.reason();
    }

    @Override
    public synchronized void close() {
        if (jobs != null) jobs.stop();
        if (pods != null) pods.stop();
    }
}
