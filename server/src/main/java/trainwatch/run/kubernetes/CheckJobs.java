package trainwatch.run.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import trainwatch.config.Resources;
import trainwatch.json.Json;
import trainwatch.run.RemoteChecks;
import trainwatch.run.RunException;
import trainwatch.store.RunStore;

/**
 * Checks ({@code overfit}, {@code gradients}) as Kubernetes Jobs (docs/kubernetes.md "Checks"): a Job per start
 * running {@code check NAME --remote URL --run ID}, which reports over HTTP with a key of its own; this class
 * writes runs/&lt;id&gt;/checks/&lt;name&gt;.json as a local check process would (queued and running from what
 * Kubernetes says until the check reports itself, then the check's own words), and settles a check whose Job
 * ended without a result as {@code fail} with Kubernetes' reason. Its own informers (list + watch of trainwatch's
 * Jobs and pods, keeping the check ones) feed one worker thread; reports arrive on HTTP threads. Every write to a
 * check file happens under that check's lock and only while its run is not being deleted, so no checks/
 * directory reappears in a deleted run.
 */
public final class CheckJobs implements RemoteChecks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckJobs.class);

    private final Cluster cluster;
    private final JobSpecs.Template template;
    private final RunStore store;
    private final Clock clock;
    /** "id/check" -> the check's current Job, until its result is stored and its Job has ended. */
    private final Map<String, StartedCheck> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-kubernetes-checks");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;
    private volatile boolean recovered;

    CheckJobs(Cluster cluster, JobSpecs.Template template, RunStore store, Clock clock) {
        this.cluster = cluster;
        this.template = template;
        this.store = store;
        this.clock = clock;
    }

    /** Starts the informers; after their first list, re-attaches the check Jobs a previous server started. */
    void start() {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata o) {
                changed(o);
            }

            @Override
            public void onUpdate(HasMetadata old, HasMetadata o) {
                changed(o);
            }

            @Override
            public void onDelete(HasMetadata o, boolean finalStateUnknown) {
                changed(o);
            }
        };
        jobs = cluster.jobInformer(cast(handler));
        pods = cluster.podInformer(cast(handler));
        CompletableFuture<Void> listed = CompletableFuture.allOf(jobs.start().toCompletableFuture(), pods.start().toCompletableFuture());
        worker.execute(() -> recover(listed));
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    /** True once the first list is taken in and the checks on disk re-attached or settled (tests wait for it). */
    public boolean recovered() {
        return recovered;
    }

    private void changed(HasMetadata o) {
        String id = CheckJobSpecs.runOf(o.getMetadata());
        String check = o.getMetadata().getLabels().get(CheckJobSpecs.CHECK_LABEL);
        if (id == null || check == null) return;
        StartedCheck t = tracked.get(key(id, check));
        if (t != null && t.job.equals(CheckJobSpecs.jobOf(o.getMetadata()))) worker.execute(() -> safely(t, () -> reconcile(t)));
    }

    /** A restart: each check with a marker re-attaches to its Job, or is settled as failed when the Job is gone. Nothing is created. */
    private void recover(CompletableFuture<Void> listed) {
        try {
            listed.get(KubernetesExecutor.SYNC_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("kubernetes checks: the first list did not complete ({}); recovering from what the informers hold", e.toString());
        }
        for (String id : store.names()) {
            try {
                for (CheckMarker m : CheckMarker.all(store.dir(id))) {
                    String stored = storedOutcome(id, m.check());
                    if (stored != null && !stored.equals(CheckVerdict.RUNNING) && !stored.equals(CheckVerdict.QUEUED)) {
                        CheckMarker.remove(store.dir(id), m.check()); // its result was stored just before a crash: it stands
                        continue;
                    }
                    StartedCheck t = new StartedCheck(id, m.check(), m.job(), m.keySha256(), m.startedMs(), store.dir(id), clock);
                    t.reported(CheckVerdict.RUNNING.equals(stored));
                    if (tracked.putIfAbsent(key(id, m.check()), t) != null) continue;
                    t.jobSeen = jobs.getStore().getByKey(cluster.namespace() + "/" + m.job()) != null;
                    if (!t.jobSeen) settle(t, CheckVerdict.FAIL, "its Kubernetes Job " + m.job() + " was gone when the server started", null);
                    else safely(t, () -> reconcile(t));
                }
            } catch (RuntimeException e) {
                LOG.warn("run {}: cannot recover its checks: {}", id, e.toString());
            }
        }
        recovered = true;
    }

    /** Starts a check: its file reads queued at once, its Job and Secret are created on the worker. 409 while it runs. */
    public void startCheck(String id, String check) {
        String k = key(id, check);
        String keyText = CheckKey.create();
        long now = clock.millis();
        String keySha256 = CheckKey.hash(keyText);
        StartedCheck t = new StartedCheck(id, check, CheckJobSpecs.jobName(id, check, now), keySha256, now, store.dir(id), clock);
        synchronized (this) {
            StartedCheck running = tracked.get(k);
            if (running != null && !running.done()) throw RunException.conflict("check " + check + " is already running for run " + id);
            new CheckMarker(check, cluster.namespace(), t.job, keySha256, now).write(store.dir(id));
            tracked.put(k, t);
        }
        t.kubernetesSays(CheckVerdict.QUEUED, "the " + check + " check is queued: its Kubernetes Job " + t.job + " is being created");
        worker.execute(() -> safely(t, () -> create(t, keyText)));
    }

    public boolean checkRunning(String id, String check) {
        StartedCheck t = tracked.get(key(id, check));
        return t != null && !t.done();
    }

    private void create(StartedCheck t, String keyText) {
        if (t.done()) return;
        String config;
        try {
            config = Files.readString(store.dir(t.id).resolve("config.json"));
        } catch (IOException e) {
            settle(t, CheckVerdict.FAIL, "the run's config could not be read: " + e, null);
            return;
        }
        Job created;
        try {
            created = cluster.createJob(CheckJobSpecs.job(template, t.id, t.check, t.job, resources(config)));
        } catch (KubernetesClientException e) {
            if (Cluster.alreadyExists(e)) return; // the informer reports it
            if (Cluster.refused(e)) {
                settle(t, CheckVerdict.FAIL, "Kubernetes refused the check's Job (" + e.getCode() + "): " + Cluster.message(e), null);
                return;
            }
            t.kubernetesSays(CheckVerdict.QUEUED, "waiting for the Kubernetes API: " + Cluster.message(e));
            worker.schedule(() -> safely(t, () -> create(t, keyText)), KubernetesExecutor.RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        try {
            cluster.createSecret(CheckJobSpecs.secret(template, t.id, t.check, t.job, keyText, config, created));
        } catch (KubernetesClientException e) {
            settle(t, CheckVerdict.FAIL, "the check's Secret could not be created: (" + e.getCode() + ") " + Cluster.message(e), null);
            deleteQuietly(t.job);
            return;
        }
        LOG.info("run {}: check {} is Job {}", t.id, t.check, t.job); // the informer's event maps its state from here
    }

    /** The newest state of the check's Job and pods, written unless the check has said more itself. */
    private void reconcile(StartedCheck t) {
        Job job = jobs.getStore().getByKey(cluster.namespace() + "/" + t.job);
        if (job != null) t.jobSeen = true;
        else if (!t.jobSeen) return; // not created yet, or not in the cache yet
        List<Pod> mine = podsOf(t.job);
        CheckVerdict v = CheckVerdict.of(t.check, t.job, job, mine);
        if (v != null && v.exitUnseen() && job != null && !t.done() && t.exitWait.holdBack(worker, () -> safely(t, () -> reconcile(t)))) return;
        boolean jobOver = job == null || (v != null && v.ended());
        if (jobOver && !t.logSaved && !mine.isEmpty()) t.logSaved = saveLog(t, mine.get(0));
        if (v != null && !t.done()) {
            if (v.ended()) {
                settle(t, v.outcome(), v.summary(), v.status().wire());
                if (job != null && job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0)
                    deleteQuietly(t.job); // a pod that can never start (bad image): its Job would wait forever
            } else {
                t.kubernetesSays(v.outcome(), v.summary());
            }
        }
        if (t.done() && jobOver) tracked.remove(key(t.id, t.check), t);
    }

    /** A report from the check's Job (POST /api/ingest/runs/{id}/checks/{name}), stored as the local check writes it. */
    @Override
    public String report(String id, String check, Report r) {
        StartedCheck t = tracked.get(key(id, check));
        if (t == null) throw RunException.notFound("no check Job " + check + " of run " + id + " is running on this server");
        ObjectNode details = Json.tree(r.detailsJson()) instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        details.remove("pid"); // the pod's pid means nothing here (StaleChecks would judge it on this machine)
        details.put("job", t.job);
        t.report(r.outcome(), r.summary(), details.toString());
        worker.execute(() -> safely(t, () -> reconcile(t))); // its Job ends next: the log is saved then
        return r.outcome();
    }

    @Override
    public boolean keyMatches(String id, String check, String key) {
        StartedCheck t = tracked.get(key(id, check));
        return t != null && t.keyMatches(key);
    }

    /**
     * Before a run is deleted: its checks write nothing more, and every check Job of the run (running or kept
     * for its TTL) is deleted. False when a Job could not be deleted (the API is away): the run stays.
     */
    public boolean stopChecks(String id) {
        List<StartedCheck> mine = new ArrayList<>();
        for (StartedCheck t : tracked.values()) if (t.id.equals(id)) mine.add(t);
        for (StartedCheck t : mine) t.deleting(true);
        Set<String> names = new LinkedHashSet<>();
        for (StartedCheck t : mine) names.add(t.job);
        if (jobs != null) for (Job j : jobs.getStore().list()) if (id.equals(CheckJobSpecs.runOf(j.getMetadata()))) names.add(j.getMetadata().getName());
        boolean all = true;
        for (String name : names) {
            try {
                cluster.deleteJob(name, template.graceSeconds());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) continue;
                LOG.warn("run {}: could not delete its check Job {}: {}", id, name, Cluster.message(e));
                all = false;
            }
        }
        if (!all) {
            for (StartedCheck t : mine) t.deleting(false); // the run stays: its checks go on reporting
            return false;
        }
        for (StartedCheck t : mine) tracked.remove(key(t.id, t.check), t);
        return true;
    }

    /** A final result the server writes itself (the check cannot): fail with Kubernetes' reason. */
    private void settle(StartedCheck t, String outcome, String summary, String status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("job", t.job);
        if (status != null) d.put("status", status);
        if (t.settle(outcome, summary, d)) LOG.info("run {}: check {}: {} ({})", t.id, t.check, outcome, summary);
    }

    /** The pods of one check Job in the informer's cache, newest first. */
    private List<Pod> podsOf(String job) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods.getStore().list()) if (job.equals(CheckJobSpecs.jobOf(p.getMetadata()))) out.add(p);
        out.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()).reversed());
        return out;
    }

    /** runs/&lt;id&gt;/check-&lt;name&gt;.log, where a local check's output goes, from the pod's log. */
    private boolean saveLog(StartedCheck t, Pod pod) {
        try {
            String log = cluster.podLog(pod.getMetadata().getName(), 512 * 1024);
            if (log == null) return false;
            t.saveLog(log);
        } catch (KubernetesClientException | IOException e) {
            LOG.info("run {}: the log of check {} was not saved: {}", t.id, t.check, e.toString());
        }
        return true;
    }

    private void deleteQuietly(String job) {
        try {
            cluster.deleteJob(job, template.graceSeconds());
        } catch (KubernetesClientException e) {
            LOG.warn("could not delete check Job {}: {}", job, Cluster.message(e));
        }
    }

    private static Resources resources(String configJson) {
        JsonNode r = Json.tree(configJson) == null ? null : Json.tree(configJson).path("resources");
        if (r == null || !r.isObject()) return Resources.NONE;
        return new Resources(r.hasNonNull("cpu") ? r.get("cpu").asText() : null, r.hasNonNull("memory") ? r.get("memory").asText() : null);
    }

    /** The outcome checks/NAME.json holds now, or null. */
    private String storedOutcome(String id, String check) {
        try {
            JsonNode n = Json.tree(Files.readString(store.dir(id).resolve("checks").resolve(check + ".json")));
            return n == null ? null : n.path("outcome").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String key(String id, String check) {
        return id + "/" + check;
    }

    private void safely(StartedCheck t, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("run {}: check {}: {}", t.id, t.check, e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (jobs != null) jobs.stop();
        if (pods != null) pods.stop();
    }
}
