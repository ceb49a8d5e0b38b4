package trainwatch.run.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import trainwatch.event.CheckResult;
import trainwatch.json.Json;
import trainwatch.run.RemoteChecks;
import trainwatch.run.RunException;
import trainwatch.store.CheckFiles;
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
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-kubernetes-checks");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;
    private volatile boolean recovered;

    /** One started check. Fields change under the object's lock. */
    private static final class Tracked {
        final String id;
        final String check;
        final String job;
        final String keySha256;
        final long startedMs;
        /** The informer has had its Job: from then on a Job missing from its cache was deleted. */
        boolean jobSeen;
        /** The check has reported (running or its result): Kubernetes' queued/running no longer overwrite it. */
        boolean reported;
        /** Its result is stored (the check's own, or a failure the server settled): nothing more is written. */
        boolean done;
        /** Its run is being deleted: nothing is written any more. */
        boolean deleted;
        boolean logSaved;
        String lastWritten;

        Tracked(String id, String check, String job, String keySha256, long startedMs) {
            this.id = id;
            this.check = check;
            this.job = job;
            this.keySha256 = keySha256;
            this.startedMs = startedMs;
        }
    }

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
        Tracked t = tracked.get(key(id, check));
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
                    Tracked t = new Tracked(id, m.check(), m.job(), m.keySha256(), m.startedMs());
                    t.reported = CheckVerdict.RUNNING.equals(storedOutcome(id, m.check())); // the check's own "running" stands
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
        Tracked t = new Tracked(id, check, CheckJobSpecs.jobName(id, check, now), CheckKey.hash(keyText), now);
        synchronized (this) {
            Tracked running = tracked.get(k);
            if (running != null && !running.done) throw RunException.conflict("check " + check + " is already running for run " + id);
            new CheckMarker(check, cluster.namespace(), t.job, t.keySha256, now).write(store.dir(id));
            tracked.put(k, t);
        }
        write(t, CheckVerdict.QUEUED, "the " + check + " check is queued: its Kubernetes Job " + t.job + " is being created", null);
        worker.execute(() -> safely(t, () -> create(t, keyText)));
    }

    public boolean checkRunning(String id, String check) {
        Tracked t = tracked.get(key(id, check));
        return t != null && !t.done;
    }

    private void create(Tracked t, String keyText) {
        if (t.done || t.deleted) return;
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
            write(t, CheckVerdict.QUEUED, "waiting for the Kubernetes API: " + Cluster.message(e), null);
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
    private void reconcile(Tracked t) {
        Job job = jobs.getStore().getByKey(cluster.namespace() + "/" + t.job);
        if (job != null) t.jobSeen = true;
        else if (!t.jobSeen) return; // not created yet, or not in the cache yet
        List<Pod> mine = podsOf(t.job);
        CheckVerdict v = CheckVerdict.of(t.check, t.job, job, mine);
        boolean jobOver = job == null || (v != null && v.ended());
        if (jobOver && !t.logSaved && !mine.isEmpty()) t.logSaved = saveLog(t, mine.get(0));
        if (v != null && !t.done) {
            if (v.ended()) {
                settle(t, v.outcome(), v.summary(), v.status().wire());
                if (job != null && job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0)
                    deleteQuietly(t.job); // a pod that can never start (bad image): its Job would wait forever
            } else if (!t.reported) {
                write(t, v.outcome(), v.summary(), null);
            }
        }
        if (t.done && jobOver) tracked.remove(key(t.id, t.check), t);
    }

    /** A report from the check's Job (POST /api/ingest/runs/{id}/checks/{name}), stored as the local check writes it. */
    @Override
    public String report(String id, String check, Report r) {
        Tracked t = tracked.get(key(id, check));
        if (t == null) throw RunException.notFound("no check Job " + check + " of run " + id + " is running on this server");
        ObjectNode details = Json.tree(r.detailsJson()) instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        details.remove("pid"); // the pod's pid means nothing here (StaleChecks would judge it on this machine)
        details.put("job", t.job);
        boolean running = r.outcome().equals(CheckVerdict.RUNNING);
        synchronized (t) {
            if (t.deleted || !store.exists(id)) throw RunException.notFound("no run with id " + id);
            if (t.done) throw RunException.conflict("the " + check + " check of run " + id + " has its result already");
            writeLocked(t, r.outcome(), r.summary(), details.toString());
            t.reported = true;
            if (!running) finish(t);
        }
        worker.execute(() -> safely(t, () -> reconcile(t))); // its Job ends next: the log is saved then
        return r.outcome();
    }

    @Override
    public boolean keyMatches(String id, String check, String key) {
        Tracked t = tracked.get(key(id, check));
        return t != null && CheckKey.matches(key, t.keySha256);
    }

    /**
     * Before a run is deleted: its checks write nothing more, and every check Job of the run (running or kept
     * for its TTL) is deleted. False when a Job could not be deleted (the API is away): the run stays.
     */
    public boolean stopChecks(String id) {
        List<Tracked> mine = new ArrayList<>();
        for (Tracked t : tracked.values()) if (t.id.equals(id)) mine.add(t);
        for (Tracked t : mine) synchronized (t) {
            t.deleted = true;
        }
        Set<String> names = new LinkedHashSet<>();
        for (Tracked t : mine) names.add(t.job);
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
            for (Tracked t : mine) synchronized (t) {
                t.deleted = false; // the run stays: its checks go on reporting
            }
            return false;
        }
        for (Tracked t : mine) tracked.remove(key(t.id, t.check), t);
        return true;
    }

    /** A final result the server writes itself (the check cannot): fail with Kubernetes' reason. */
    private void settle(Tracked t, String outcome, String summary, String status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("job", t.job);
        if (status != null) d.put("status", status);
        synchronized (t) {
            if (t.done || t.deleted) return;
            writeLocked(t, outcome, summary, Json.write(d));
            finish(t);
        }
        LOG.info("run {}: check {}: {} ({})", t.id, t.check, outcome, summary);
    }

    private void write(Tracked t, String outcome, String summary, String detailsJson) {
        synchronized (t) {
            if (t.done || t.deleted) return;
            writeLocked(t, outcome, summary, detailsJson);
        }
    }

    /** checks/NAME.json as the local check writes it; never into a run directory that is gone (no checks/ reappears). */
    private void writeLocked(Tracked t, String outcome, String summary, String detailsJson) {
        if (t.deleted || !Files.isDirectory(store.dir(t.id))) return;
        if (detailsJson == null) detailsJson = Json.write(Map.of("job", t.job, "startedMs", t.startedMs));
        String shown = outcome + "\n" + summary;
        if (shown.equals(t.lastWritten) && !outcome.equals(CheckVerdict.RUNNING)) return;
        CheckFiles.write(store.dir(t.id), new CheckResult(-1, clock.millis(), t.check, outcome, summary, detailsJson));
        t.lastWritten = shown;
    }

    private void finish(Tracked t) {
        t.done = true;
        try {
            CheckMarker.remove(store.dir(t.id), t.check);
        } catch (RuntimeException e) {
            LOG.warn("run {}: check {}: its marker could not be removed: {}", t.id, t.check, e.toString());
        }
    }

    /** The pods of one check Job in the informer's cache, newest first. */
    private List<Pod> podsOf(String job) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods.getStore().list()) if (job.equals(CheckJobSpecs.jobOf(p.getMetadata()))) out.add(p);
        out.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()).reversed());
        return out;
    }

    /** runs/&lt;id&gt;/check-&lt;name&gt;.log, where a local check's output goes, from the pod's log. */
    private boolean saveLog(Tracked t, Pod pod) {
        try {
            String log = cluster.podLog(pod.getMetadata().getName(), 512 * 1024);
            if (log == null) return false;
            synchronized (t) {
                Path dir = store.dir(t.id);
                if (!t.deleted && Files.isDirectory(dir)) Files.writeString(dir.resolve("check-" + t.check + ".log"), log, StandardCharsets.UTF_8);
            }
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

    private void safely(Tracked t, Runnable r) {
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
