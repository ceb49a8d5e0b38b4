package trainwatch.run.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import trainwatch.config.Resources;
import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.Executor;
import trainwatch.run.RemoteRuns;
import trainwatch.run.RunException;
import trainwatch.run.Supervisor;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;

/**
 * The {@code kubernetes} executor (docs/kubernetes.md): every run and sweep trial is a batch/v1 Job running
 * {@code train --remote URL --run ID} in this server's image; the trainer reports through the ingest API
 * (the server stays the single writer of runs/), with the run's key from a Secret owned by the Job.
 * State comes from informers (list + watch) on trainwatch's Jobs and pods, mapped by {@link Verdict}; the
 * trainer's own final status always wins. All state changes and API calls happen on one worker thread, so
 * a Job is created at most once per run: the informer's cache is consulted first and a 409 from the API
 * means "already there". Checks are Jobs too ({@link CheckJobs}); ensembles run on this machine through the
 * local supervisor.
 */
public final class KubernetesExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesExecutor.class);
    /** runs/&lt;id&gt;/kubernetes.json: the run was handed to this executor (namespace, Job name); written before its Job is created. */
    public static final String MARKER = "kubernetes.json";
    static final long RETRY_MS = 5_000;
    static final long SYNC_WAIT_MS = 60_000;

    private final Cluster cluster;
    private final JobSpecs.Template template;
    private final RunStore store;
    private final Supervisor local;
    private final Clock clock;
    private volatile RemoteRuns remote = RemoteRuns.NONE;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-kubernetes");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;
    private volatile boolean recovered;
    /** Checks as Jobs of their own (docs/kubernetes.md "Checks"). */
    private final CheckJobs checks;
    /** Ensemble evaluations as Jobs of their own (EnsembleJobs). */
    private final EnsembleJobs evaluations;

    /** What this executor knows of one run; changed on the worker thread only (stop flags also from callers). */
    private static final class Tracked {
        /** The API has its Job (created here, or found): a stop deletes it rather than settling the run itself. */
        volatile boolean jobCreated;
        /**
         * The informer's cache has had its Job: only from then on does a Job missing from the cache mean it was deleted.
         * The Job's own event can come after a pod's (two watches), so creating it is not enough.
         */
        volatile boolean jobSeen;
        volatile boolean stopRequested;
        volatile StopRequest stopAs;
        String lastReason;
        RunStatus lastStatus;
        boolean logSaved;
        final ExitWait exitWait = new ExitWait();
    }

    public KubernetesExecutor(KubernetesClient client, JobSpecs.Template template, RunStore store, Supervisor local, Clock clock) {
        this.cluster = new Cluster(client, template.namespace());
        this.template = template;
        this.store = store;
        this.local = local;
        this.clock = clock;
        this.checks = new CheckJobs(new Cluster(client, template.namespace()), template, store, clock);
        this.evaluations = new EnsembleJobs(new Cluster(client, template.namespace()), template);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void remoteRuns(RemoteRuns r) {
        this.remote = r;
        r.watchedElsewhere(tracked::containsKey); // a pod's liveness is the informer's to judge, not the trainer's silence
    }

    @Override
    public void onStatusChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Starts the informers; the worker waits for their first list, then re-attaches what a previous server left. */
    @Override
    public void start() {
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
        var listed = java.util.concurrent.CompletableFuture.allOf(jobs.start().toCompletableFuture(), pods.start().toCompletableFuture());
        worker.execute(() -> recover(listed));
        checks.start();
        evaluations.start();
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    private void changed(HasMetadata o) {
        String id = JobSpecs.runOf(o.getMetadata());
        if (id != null && RunStore.validId(id)) worker.execute(() -> safely(id, () -> reconcile(id)));
    }

    /** After the first list: Jobs found re-attach; runs handed to Kubernetes before whose Job is gone are settled; queued ones start. */
    private void recover(java.util.concurrent.CompletableFuture<Void> listed) {
        try {
            listed.get(SYNC_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("kubernetes: the first list of Jobs and pods did not complete in {} s ({}); recovering from what the informers hold",
                    SYNC_WAIT_MS / 1000, e.toString());
        }
        for (Job j : jobs.getStore().list()) {
            String id = JobSpecs.runOf(j.getMetadata());
            if (id == null || !RunStore.validId(id) || !store.exists(id)) continue;
            Tracked t = tracked.computeIfAbsent(id, k -> new Tracked());
            t.jobCreated = true;
            t.jobSeen = true;
            safely(id, () -> reconcile(id));
        }
        for (String id : store.names()) {
            if (tracked.containsKey(id)) continue;
            try {
                StatusRecord s = store.state(id);
                boolean ours = Files.isRegularFile(store.dir(id).resolve(MARKER));
                if (s.status() == RunStatus.QUEUED && (ours || !remote.owns(id))) {
                    submit(id); // never started (its Job was never created, or it waited under the local executor)
                } else if (ours && !s.status().isFinal()) {
                    if (remote.record(id, RunStatus.INTERRUPTED, "its Kubernetes Job " + jobOf(id) + " was gone when the server started"))
                        statusChanged(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("run {}: cannot recover it at start: {}", id, e.toString());
            }
        }
        recovered = true;
    }

    /** True once the first list has been taken in and the runs on disk recovered (tests wait for it). */
    public boolean recovered() {
        return recovered;
    }

    @Override
    public void submit(String id) {
        tracked.computeIfAbsent(id, k -> new Tracked());
        worker.execute(() -> safely(id, () -> create(id)));
    }

    /** Marker, ingest key, Job, Secret; a transport failure retries later, a refusal fails the run with Kubernetes' message. */
    private void create(String id) {
        Tracked t = tracked.get(id);
        if (t == null || !store.exists(id)) return;
        if (jobs.getStore().getByKey(cluster.namespace() + "/" + jobOf(id)) != null) { // there already: never a second one
            t.jobCreated = true;
            t.jobSeen = true;
            reconcile(id);
            return;
        }
        if (store.state(id).status() != RunStatus.QUEUED) return; // stopped (or deleted) before it got its Job
        writeMarker(id);
        String key = remote.adopt(id);
        Job created;
        try {
            Marker m = Marker.read(store.dir(id));
            created = cluster.createJob(m != null && m.attempt() > 0 ? ResumeSpecs.job(template, id, m.job(), m.resumeFrom(), resources(id))
                    : JobSpecs.job(template, id, resources(id)));
        } catch (KubernetesClientException e) {
            if (Cluster.alreadyExists(e)) {
                t.jobCreated = true;
                return; // the informer reports it
            }
            if (Cluster.refused(e)) {
                fail(id, "Kubernetes refused the Job (" + e.getCode() + "): " + Cluster.message(e));
                return;
            }
            LOG.warn("run {}: cannot reach the Kubernetes API to create its Job, retrying in {} s: {}", id, RETRY_MS / 1000, Cluster.message(e));
            if (remote.record(id, RunStatus.QUEUED, "waiting for the Kubernetes API: " + Cluster.message(e))) statusChanged(id);
            worker.schedule(() -> safely(id, () -> create(id)), RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        t.jobCreated = true;
        try {
            String config = Files.readString(store.dir(id).resolve("config.json"));
            cluster.createSecret(created.getMetadata().getName().equals(JobSpecs.jobName(id)) ? JobSpecs.secret(template, id, key, config, created)
                    : ResumeSpecs.secret(template, id, key, config, created));
        } catch (KubernetesClientException | IOException e) {
            fail(id, "the run's Secret could not be created: " + (e instanceof KubernetesClientException k ? "(" + k.getCode() + ") " + Cluster.message(k) : e.toString()));
            deleteQuietly(id);
            return;
        }
        LOG.info("run {}: Job {} created in namespace {}", id, created.getMetadata().getName(), cluster.namespace());
        String waiting = "Job " + created.getMetadata().getName() + " created, waiting for its pod"; // what Verdict says of it too
        t.lastStatus = RunStatus.QUEUED;
        t.lastReason = waiting;
        if (remote.record(id, RunStatus.QUEUED, waiting)) statusChanged(id);
    }

    private void fail(String id, String reason) {
        LOG.warn("run {}: failed: {}", id, reason);
        if (remote.record(id, RunStatus.FAILED, reason)) statusChanged(id);
    }

    /** The newest state of a run's Job and pods, recorded unless the trainer has said otherwise. */
    private void reconcile(String id) {
        Tracked t = tracked.get(id);
        if (t == null) {
            if (!store.exists(id)) return; // a Job of a deleted run: its TTL removes it
            t = tracked.computeIfAbsent(id, k -> new Tracked());
        }
        Job job = jobs.getStore().getByKey(cluster.namespace() + "/" + jobOf(id));
        List<Pod> mine = podsOf(id);
        Verdict v;
        if (job != null) {
            t.jobCreated = true;
            t.jobSeen = true;
            v = Verdict.of(job, mine);
        } else {
            if (!t.jobSeen && !t.stopRequested) return; // not created yet, or not in the cache yet
            Verdict outside = Verdict.of(null, mine);
            StopRequest as = t.stopAs;
            v = outside != null ? outside
                    : as != null ? Verdict.of(as.status(), as.reason())
                    : t.stopRequested ? Verdict.of(RunStatus.STOPPED, "stopped on request (its Job was deleted before the trainer confirmed)")
                    : Verdict.of(RunStatus.INTERRUPTED, "its Kubernetes Job " + jobOf(id) + " was deleted outside trainwatch");
        }
        if (v == null) return;
        if (v.exitUnseen() && job != null && t.exitWait.holdBack(worker, () -> safely(id, () -> reconcile(id)))) return;
        RunStatus status = v.status();
        String reason = v.reason();
        if (v.trainerOwn()) {
            status = RunStatus.INTERRUPTED;
            reason = "the Job succeeded but the trainer's final status never arrived";
        }
        if (status != t.lastStatus || !reason.equals(t.lastReason)) {
            t.lastStatus = status;
            t.lastReason = reason;
            if (store.exists(id) && remote.record(id, status, reason)) statusChanged(id);
        }
        boolean ended = job == null || v.trainerOwn() || status.isFinal();
        if (ended && !t.logSaved && !mine.isEmpty()) t.logSaved = saveLog(id, mine);
        if (status == RunStatus.FAILED && job != null && job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0)
            deleteQuietly(id); // a pod that can never start (bad image): its Job would wait forever
        if (job == null) tracked.remove(id);
    }

    @Override
    public boolean isActive(String id) {
        if (!tracked.containsKey(id)) return false;
        try {
            return !store.state(id).status().isFinal();
        } catch (RunNotFoundException e) {
            return false;
        }
    }

    @Override
    public boolean awaitGone(String id, long timeoutMs) {
        return !isActive(id); // the trainer's pod writes nothing here: a final status is all there is to wait for
    }

    /**
     * Deletes the run's Job with the stop grace period: its pod gets SIGTERM and the trainer records 'stopped' (it is
     * also told over the ingest API). A stop with another final status (a sweep prunes a trial) records that status first.
     */
    @Override
    public void stop(String id, StopRequest as) {
        StatusRecord state = store.state(id);
        if (state.status().isFinal()) throw RunException.conflict("run " + id + " is not running (status " + state.status().wire() + ")");
        Tracked t = tracked.get(id);
        if (t == null) throw RunException.conflict("run " + id + " has no Kubernetes Job this server knows of (status " + state.status().wire() + ")");
        t.stopAs = as;
        t.stopRequested = true;
        if (!t.jobCreated) { // its Job is not created yet: it never will be
            tracked.remove(id);
            StatusRecord end = as == null ? new StatusRecord(RunStatus.STOPPED, "stopped before it started", clock.millis(), 0, state.createdMs())
                    : new StatusRecord(as.status(), as.reason(), clock.millis(), 0, state.createdMs());
            if (remote.owns(id)) remote.record(id, end.status(), end.reason());
            else store.writeState(id, end);
            statusChanged(id);
            return;
        }
        if (as != null && remote.record(id, as.status(), as.reason())) statusChanged(id);
        try {
            remote.stop(id, as); // also told over the ingest API (stop.json: survives a restart)
        } catch (RuntimeException e) {
            // already final (a prune recorded just now): the Job goes anyway
        }
        try {
            cluster.deleteJob(jobOf(id), template.graceSeconds());
        } catch (KubernetesClientException e) {
            // gone already (404: the informer settles it), or the API is away or refuses: the trainer still gets the
            // stop with its next acknowledgement, ends and exits, and its Job completes
            if (e.getCode() != 404) LOG.warn("run {}: could not delete its Job ({}); the stop reaches the trainer over the ingest API", id, Cluster.message(e));
        }
    }

    /**
     * A new Job continues an interrupted or stopped run from the newest checkpoint the server holds (its trainer sent
     * each one as it was written): the records of later steps are superseded now, exactly as for a local resume, and
     * the Job's trainer fetches that checkpoint and goes on from its step (docs/kubernetes.md "Resume").
     */
    @Override
    public void resume(String id) {
        StatusRecord state = store.state(id);
        RunStatus s = state.status();
        if (s != RunStatus.INTERRUPTED && s != RunStatus.STOPPED)
            throw RunException.conflict("run " + id + " is " + s.wire() + ": only an interrupted or stopped run can be resumed");
        if (store.trainerAlive(id)) throw RunException.conflict("run " + id + " still has a trainer: wait until it has exited");
        Job live = jobs == null ? null : jobs.getStore().getByKey(cluster.namespace() + "/" + jobOf(id));
        if (live != null && live.getStatus() != null && live.getStatus().getActive() != null && live.getStatus().getActive() > 0)
            throw RunException.conflict("run " + id + ": its Job " + jobOf(id) + " still has a live pod: wait until it has ended");
        Resumes.Point from = Resumes.newest(store.dir(id));
        long fromStep = from == null ? 0 : from.step();
        if (remote.owns(id)) remote.resume(id, fromStep); // the server is the run's writer: it supersedes the later steps itself
        else Resumes.supersede(store, id, fromStep, clock.millis()); // trained here before: adopted as remote when its Job is made
        Marker old = Marker.read(store.dir(id));
        int attempt = (old == null ? 0 : old.attempt()) + 1;
        new Marker(cluster.namespace(), ResumeSpecs.jobName(id, attempt), attempt, from == null ? null : from.name()).write(store.dir(id));
        tracked.put(id, new Tracked());
        statusChanged(id);
        LOG.info("run {}: resumed as Job {} from {}", id, ResumeSpecs.jobName(id, attempt), from == null ? "step 0 (no checkpoint)" : from.name());
        worker.execute(() -> safely(id, () -> create(id)));
    }

    /** A check is a Job of its own that reports over HTTP (CheckJobs); it needs no slot on this machine. */
    @Override
    public void startCheck(String id, String check) {
        checks.startCheck(id, check);
    }

    @Override
    public boolean checkRunning(String id, String check) {
        return checks.checkRunning(id, check) || local.checkRunning(id, check);
    }

    /** Deletes the run's check Jobs (and ends any local check process a previous executor started). */
    @Override
    public boolean stopChecks(String id, long timeoutMs) {
        return checks.stopChecks(id) & local.stopChecks(id, timeoutMs);
    }

    @Override
    public CheckJobs remoteChecks() {
        return checks;
    }

    /** Ensemble evaluations run as Jobs too (docs/kubernetes.md "What runs where"). */
    @Override
    public EnsembleJobs evaluations() {
        return evaluations;
    }

    @Override
    public void useDiskProbe(DiskSpace.Probe probe) {
        local.useDiskProbe(probe);
    }

    /** The newest pod's log (what the trainer printed), read from the API; null when the run has no pod now. */
    @Override
    public String trainerLog(String id, int maxBytes) {
        if (!Files.isRegularFile(store.dir(id).resolve(MARKER)) || pods == null) return null;
        List<Pod> mine = podsOf(id);
        if (mine.isEmpty()) return null;
        try {
            return cluster.podLog(mine.get(0).getMetadata().getName(), maxBytes);
        } catch (KubernetesClientException e) {
            LOG.info("run {}: cannot read its pod's log: {}", id, Cluster.message(e));
            return null;
        }
    }

    @Override
    public boolean hasTrainerLog(String id) {
        return pods != null && Files.isRegularFile(store.dir(id).resolve(MARKER)) && !podsOf(id).isEmpty();
    }

    /** The run's pods in the informer's cache, newest first. */
    private List<Pod> podsOf(String id) {
        List<Pod> out = new ArrayList<>();
        String job = jobOf(id);
        for (Pod p : pods.getStore().list()) if (id.equals(JobSpecs.runOf(p.getMetadata())) && ResumeSpecs.podOf(p, id, job)) out.add(p);
        out.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()).reversed());
        return out;
    }

    /** A pod's log outlives the pod's TTL in runs/&lt;id&gt;/trainer.log. */
    private boolean saveLog(String id, List<Pod> mine) {
        try {
            String log = cluster.podLog(mine.get(0).getMetadata().getName(), 512 * 1024);
            if (log == null) return false;
            Files.writeString(store.dir(id).resolve(trainwatch.run.ChildJvm.TRAINER_LOG), log, StandardCharsets.UTF_8);
            return true;
        } catch (KubernetesClientException | IOException e) {
            LOG.info("run {}: its pod's log was not saved: {}", id, e.toString());
            return true; // do not ask again on every event
        }
    }

    private void deleteQuietly(String id) {
        try {
            cluster.deleteJob(jobOf(id), template.graceSeconds());
        } catch (KubernetesClientException e) {
            LOG.warn("run {}: could not delete its Job: {}", id, Cluster.message(e));
        }
    }

    private Resources resources(String id) {
        try {
            JsonNode r = Json.tree(Files.readString(store.dir(id).resolve("config.json"))).path("resources");
            if (!r.isObject()) return Resources.NONE;
            return new Resources(r.hasNonNull("cpu") ? r.get("cpu").asText() : null, r.hasNonNull("memory") ? r.get("memory").asText() : null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: its resources could not be read, the Job asks for none: {}", id, e.toString());
            return Resources.NONE;
        }
    }

    /** The marker, kept as it is when there (a resume wrote which Job to create); the run's first Job otherwise. */
    private void writeMarker(String id) {
        if (Marker.read(store.dir(id)) == null) new Marker(cluster.namespace(), JobSpecs.jobName(id), 0, null).write(store.dir(id));
    }

    /** The Job that speaks for the run now: its first, or its newest resume Job. */
    private String jobOf(String id) {
        Marker m = Marker.read(store.dir(id));
        return m == null ? JobSpecs.jobName(id) : m.job();
    }

    private void statusChanged(String id) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("run {}: status listener failed: {}", id, e.toString());
            }
        }
    }

    private void safely(String id, Runnable r) {
        try {
            r.run();
        } catch (RunNotFoundException e) {
            tracked.remove(id); // deleted meanwhile
        } catch (RuntimeException e) {
            LOG.warn("run {}: kubernetes executor: {}", id, e.toString());
        }
    }

    @Override
    public void close() {
        checks.close();
        evaluations.close();
        worker.shutdownNow();
        if (jobs != null) jobs.stop();
        if (pods != null) pods.stop();
    }
}
