package trainwatch.run;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.RunStatus;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;

/**
 * Owns the trainer processes: the queue, the --max-parallel slots, stop, and the
 * detection of trainers that vanished. It writes only {@code queued}, {@code interrupted}
 * and (for a stop it had to force, or a run stopped before it started) {@code stopped};
 * everything else is the trainer's to write. Liveness = the store's trainer lock,
 * checked BEFORE status.json is read: a trainer writes its final status and only then
 * releases the lock, so "lock free and status not final" really means it vanished.
 * A check process takes a --max-parallel slot like a trainer, and so does a job (an ensemble
 * evaluation), which waits in the same first-come queue as the runs. When status.json cannot be
 * rewritten (a full disk), the interrupted state is kept in memory by the store and written
 * when it can; its reason then says the disk is full. This is the {@code local} executor.
 */
public final class Supervisor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** A run found 'running' without a lock is left alone this long after its last status write (a trainer may be starting up). */
    static final long GRACE_MS = 5_000;

    private final RunStore store;
    private volatile java.util.function.Function<String, RunStatus> shownStatus;
    private final Launcher launcher;
    private final Clock clock;
    private final int maxParallel;
    private final long stopTimeoutMs;
    private volatile DiskSpace.Probe disk;
    private volatile RemoteRuns remote = RemoteRuns.NONE;
    private final RunQueue queue = new RunQueue();
    private final Map<String, Process> children = new HashMap<>();
    private final Set<String> attached = new HashSet<>();
    private final Set<String> stopRequested = new HashSet<>();
    private final Set<String> forced = new HashSet<>();
    /** Stops asked for and not yet done: the trainer is killed once the clock passes its deadline (checked every tick). */
    private final Map<String, PendingStop> stopping = new HashMap<>();
    private final Map<String, Process> checks = new HashMap<>();
    /** Jobs waiting in {@link #queue} (keys never look like run ids: they hold a ':'), and the ones started. */
    private final Map<String, Job> jobsWaiting = new HashMap<>();
    private final Map<String, Process> jobs = new HashMap<>();
    private final Set<String> settled = new HashSet<>();
    private final List<java.util.function.Consumer<String>> statusListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-supervisor");
        t.setDaemon(true);
        return t;
    });

    public Supervisor(RunStore store, Launcher launcher, Clock clock, int maxParallel, long stopTimeoutMs) {
        this(store, launcher, clock, maxParallel, stopTimeoutMs, DiskSpace.SYSTEM);
    }

    public Supervisor(RunStore store, Launcher launcher, Clock clock, int maxParallel, long stopTimeoutMs, DiskSpace.Probe disk) {
        if (maxParallel < 1) throw new IllegalArgumentException("max-parallel must be >= 1, got " + maxParallel);
        this.store = store;
        this.shownStatus = id -> store.state(id).status();
        this.launcher = launcher;
        this.clock = clock;
        this.maxParallel = maxParallel;
        this.stopTimeoutMs = stopTimeoutMs;
        this.disk = disk;
    }

    @Override
    public String name() {
        return "local";
    }

    /** Server start: re-attach live trainers, mark dead ones interrupted, queue what never started; then watch every 500 ms. */
    @Override
    public void start() {
        synchronized (this) {
            // one status read per run (thousands of runs): queued ones in the order store.ids() gives, newest first
            Map<String, Long> queued = new HashMap<>();
            for (String id : store.names()) {
                if (queue.contains(id) || children.containsKey(id)) continue; // submitted through the API while we started
                try {
                    StatusRecord s = store.state(id);
                    if (s.status() == RunStatus.QUEUED && !store.trainerAlive(id)) queued.put(id, s.createdMs());
                    else if (s.status().isFinal()) settled.add(id); // a final status never changes again
                } catch (RunNotFoundException e) {
                    // deleted or being created at this instant
                } catch (RuntimeException e) {
                    LOG.warn("run {}: cannot read its status at start: {}", id, e.toString());
                }
            }
            queued.keySet().stream().sorted(Comparator.comparing((String id) -> queued.get(id)).thenComparing(Comparator.naturalOrder()).reversed())
                    .forEach(queue::add);
        }
        tick();
        timer.scheduleWithFixedDelay(this::tickSafely, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Only the watching of {@link #start()} (every 500 ms: settle exited trainers, launch queued runs), without
     * adopting the queued runs already on disk: for a command that supervises just the runs it submits (`sweep`).
     */
    public void watch() {
        timer.scheduleWithFixedDelay(this::tickSafely, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Runs written by this server for a remote trainer (ingest): never adopted or settled here; their stop goes to the owner. */
    @Override
    public void remoteRuns(RemoteRuns r) {
        this.remote = r;
    }

    /** Called with a run's id each time a trainer is started for it (/metrics counts starts). */
    public void onTrainerStart(java.util.function.Consumer<String> listener) {
        this.onTrainerStart = listener;
    }

    private volatile java.util.function.Consumer<String> onTrainerStart = id -> {};

    /**
     * Told a run's id after this supervisor wrote its status, or when a trainer it started exits (its final
     * status is on disk then), so the run list shows it without waiting for a poll. Called under this
     * supervisor's lock or on the JDK's process reaper: must not block.
     */
    @Override
    public void onStatusChange(java.util.function.Consumer<String> listener) {
        statusListeners.add(listener);
    }

    private void statusChanged(String id) {
        for (var l : statusListeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("run {}: status listener failed: {}", id, e.toString());
            }
        }
    }

    @Override
    public void useDiskProbe(DiskSpace.Probe probe) {
        this.disk = probe;
    }

    /** A new run (status queued already on disk) waits for a slot. */
    @Override
    public synchronized void submit(String id) {
        queue.add(id);
        launchWhileSlotsFree();
    }

    /**
     * Something other than a trainer or a check that takes a --max-parallel slot while it runs (an ensemble
     * evaluation). It is started by this supervisor, never twice, when its turn in the queue comes.
     */
    public interface Job {
        /** Starts the process; null when it could not be started (the job has recorded why). Called under the supervisor's lock: must not wait on other locks. */
        Process start();
    }

    /** Queues a job behind the runs and jobs queued before it; a key already queued or running is left as it is. */
    public synchronized void submitJob(String key, Job job) {
        if (key.indexOf(':') < 0) throw new IllegalArgumentException("a job key needs a ':' so it never looks like a run id: " + key);
        Process running = jobs.get(key);
        if (jobsWaiting.containsKey(key) || (running != null && running.isAlive())) return;
        jobsWaiting.put(key, job);
        queue.add(key);
        launchWhileSlotsFree();
    }

    /** Takes a job out of the queue; returns its process when it has been started (the caller ends it), else null. */
    public synchronized Process cancelJob(String key) {
        if (jobsWaiting.remove(key) != null) queue.remove(key);
        return jobs.remove(key);
    }

    /** True while the run is queued here or has a live trainer this server knows of. */
    @Override
    public synchronized boolean isActive(String id) {
        return queue.contains(id) || children.containsKey(id) || attached.contains(id);
    }

    /**
     * Waits (outside the lock) for the trainer of a run whose final status is written to exit and
     * release its lock, then settles it; true when nothing of the run is active any more.
     */
    @Override
    public boolean awaitGone(String id, long timeoutMs) {
        Process child;
        synchronized (this) {
            child = children.get(id);
        }
        long deadline = clock.millis() + timeoutMs;
        try {
            if (child != null) child.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            while (store.trainerAlive(id) && clock.millis() < deadline) Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tick();
        return !isActive(id);
    }

    @Override
    public synchronized boolean checkRunning(String id, String check) {
        Process p = checks.get(id + "/" + check);
        return p != null && p.isAlive();
    }

    /**
     * Asks the trainer to stop (SIGTERM: it writes 'stopped' itself), forcibly after the timeout.
     * status.json is read before anything else: a trainer that has written its final status may
     * still be exiting (alive, holding its lock), and there is nothing left to stop then (409).
     */
    @Override
    public synchronized void stop(String id) {
        stop(id, null);
    }

    /**
     * A stop that ends the run with another final status than {@code stopped} (a sweep prunes a trial): the request
     * is stored in the run (stop.json) before the trainer is signalled, and the trainer writes that status and
     * reason; a run still queued, or a trainer that has to be killed, gets it from here. null = a plain stop.
     */
    @Override
    public synchronized void stop(String id, trainwatch.store.StopRequest as) {
        StatusRecord state = store.state(id);
        if (state.status().isFinal()) throw RunException.conflict("run " + id + " is not running (status " + state.status().wire() + ")");
        if (remote.owns(id)) {
            remote.stop(id, as); // its trainer is elsewhere: never signal a process here (the writer's pid is this server's)
            return;
        }
        if (queue.remove(id)) {
            StatusRecord end = as == null ? new StatusRecord(RunStatus.STOPPED, "stopped before it started", clock.millis(), 0, state.createdMs())
                    : new StatusRecord(as.status(), as.reason(), clock.millis(), 0, state.createdMs());
            store.writeState(id, end);
            statusChanged(id);
            return;
        }
        Process child = children.get(id);
        ProcessHandle handle = child != null ? child.toHandle() : attached.contains(id) ? trainerHandle(id) : null;
        if (handle == null) throw RunException.conflict("run " + id + " has no trainer this server can stop (status " + state.status().wire() + ")");
        if (as != null) store.requestStop(id, as);
        stopRequested.add(id);
        stopping.put(id, new PendingStop(handle, clock.millis() + stopTimeoutMs));
        handle.destroy();
    }

    /** Starts a check process; it takes a --max-parallel slot, so with every slot busy it is refused (409). */
    @Override
    public synchronized void startCheck(String id, String check) {
        String key = id + "/" + check;
        Process running = checks.get(key);
        if (running != null && running.isAlive()) throw RunException.conflict("check " + check + " is already running for run " + id);
        checks.values().removeIf(p -> !p.isAlive());
        if (busySlotsForCheck() >= maxParallel)
            throw RunException.conflict("all " + maxParallel + " training slots (--max-parallel) are busy: start the " + check
                    + " check when a run or check has finished");
        try {
            checks.put(key, launcher.startCheck(id, check));
        } catch (java.io.IOException e) {
            LOG.warn("run {}: could not start check {}", id, check, e);
            throw RunException.conflict("could not start check " + check + " (the reason is in the server's log)");
        }
    }

    /**
     * Ends the check processes of a run (before it is deleted, so none writes its checks/ directory back) and waits
     * for them to exit; false when one is still alive after the timeout.
     */
    @Override
    public boolean stopChecks(String id, long timeoutMs) {
        List<Process> mine = new java.util.ArrayList<>();
        synchronized (this) {
            for (var it = checks.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().startsWith(id + "/")) continue;
                mine.add(e.getValue());
                it.remove();
            }
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (Process p : mine) p.destroyForcibly(); // a check's result is worthless once its run is deleted
        for (Process p : mine) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return mine.stream().noneMatch(Process::isAlive);
    }

    /**
     * Queues an interrupted or stopped run to continue: its trainer (train --run ID) finds the newest checkpoint and
     * resumes from it. Status becomes queued with the reason saying so.
     */
    @Override
    public synchronized void resume(String id) {
        StatusRecord state = store.state(id);
        RunStatus s = state.status();
        if (s != RunStatus.INTERRUPTED && s != RunStatus.STOPPED)
            throw RunException.conflict("run " + id + " is " + s.wire() + ": only an interrupted or stopped run can be resumed");
        if (remote.owns(id))
            throw RunException.conflict("run " + id + " is a remote run: it continues when its trainer sends again");
        if (isActive(id) || store.trainerAlive(id)) throw RunException.conflict("run " + id + " still has a trainer: wait until it has exited");
        store.writeState(id, new StatusRecord(RunStatus.QUEUED, "resume requested", clock.millis(), 0, state.createdMs()));
        statusChanged(id);
        settled.remove(id);
        stopRequested.remove(id);
        forced.remove(id);
        queue.add(id);
        launchWhileSlotsFree();
    }

    /** Trainers plus check and job processes alive: what --max-parallel bounds. */
    private int busySlots() {
        return children.size() + attached.size() + liveHelpers();
    }

    private int liveHelpers() {
        int live = 0;
        for (Process p : checks.values()) if (p.isAlive()) live++;
        for (Process p : jobs.values()) if (p.isAlive()) live++;
        return live;
    }

    /** As {@link #busySlots}, but a trainer that has written its final status (it is exiting) no longer counts. */
    /**
     * How to read the status the pages show (status.json, or a newer change the trainer has logged): a trainer
     * whose run reads finished frees its slot for a check although its JVM is still exiting. The server sets a
     * reader-backed one; the default reads status.json alone.
     */
    public void shownStatus(java.util.function.Function<String, RunStatus> shown) {
        this.shownStatus = shown;
    }

    private int busySlotsForCheck() {
        int busy = 0;
        Set<String> trainers = new HashSet<>(children.keySet());
        trainers.addAll(attached);
        for (String id : trainers) {
            try {
                if (!shownStatus.apply(id).isFinal()) busy++;
            } catch (RuntimeException e) {
                busy++; // cannot tell: assume it still trains
            }
        }
        return busy + liveHelpers();
    }

    /** Every process this supervisor started that is still alive (trainers and checks): tests end exactly these. */
    public synchronized List<ProcessHandle> ownProcesses() {
        List<ProcessHandle> out = new java.util.ArrayList<>();
        for (Process p : children.values()) if (p.isAlive()) out.add(p.toHandle());
        for (Process p : checks.values()) if (p.isAlive()) out.add(p.toHandle());
        for (Process p : jobs.values()) if (p.isAlive()) out.add(p.toHandle());
        return out;
    }

    /** Ids this supervisor currently counts against --max-parallel. */
    public synchronized List<String> busy() {
        Set<String> all = new HashSet<>(children.keySet());
        all.addAll(attached);
        return List.copyOf(all);
    }

    /** Queued runs (jobs left out), first to start first. */
    public synchronized List<String> queued() {
        return queue.snapshot().stream().filter(id -> !jobsWaiting.containsKey(id)).toList();
    }

    /** The pid of our own child for a run, or -1 (tests use it to kill -9 a trainer). */
    public synchronized long childPid(String id) {
        Process p = children.get(id);
        return p == null ? -1 : p.pid();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("supervisor tick failed: {}", e.toString());
        }
    }

    synchronized void tick() {
        killOverdueStops();
        for (var it = children.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isAlive()) continue;
            it.remove();
            settle(e.getKey(), "trainer exited with code " + e.getValue().exitValue() + " without a final status");
        }
        for (var it = attached.iterator(); it.hasNext(); ) {
            String id = it.next();
            if (store.trainerAlive(id)) continue;
            it.remove();
            settle(id, "trainer process is gone without a final status");
        }
        scanForeign();
        jobs.values().removeIf(p -> !p.isAlive());
        launchWhileSlotsFree();
        checks.values().removeIf(p -> !p.isAlive());
    }

    /** The stop timeout, measured on the injected clock: a trainer that ignored SIGTERM past its deadline is killed. */
    private void killOverdueStops() {
        long now = clock.millis();
        for (var it = stopping.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ProcessHandle handle = e.getValue().handle();
            if (!handle.isAlive()) {
                it.remove();
            } else if (now >= e.getValue().killAtMs()) {
                LOG.warn("run {}: trainer did not stop within {} ms, killing it", e.getKey(), stopTimeoutMs);
                forced.add(e.getKey());
                handle.destroyForcibly();
                it.remove();
            }
        }
    }

    private record PendingStop(ProcessHandle handle, long killAtMs) {}

    /** Runs not started by this server (found at start, or trained headless): adopt live ones, settle dead ones. */
    private void scanForeign() {
        List<String> ids = store.names(); // not ids(): that reads every status.json, every 500 ms
        settled.retainAll(new HashSet<>(ids));
        for (String id : ids) {
            if (settled.contains(id) || children.containsKey(id) || attached.contains(id) || queue.contains(id)) continue;
            if (remote.owns(id)) continue; // written by this server's ingest service, which watches its silence itself
            try {
                StatusRecord s = store.state(id);
                if (s.status().isFinal()) {
                    settled.add(id); // a final status never changes again
                } else if (store.trainerAlive(id)) {
                    attached.add(id);
                } else if (s.status() == RunStatus.RUNNING && clock.millis() - s.updatedMs() > GRACE_MS) {
                    settle(id, "trainer not running (found without its lock)");
                }
            } catch (RuntimeException e) {
                // a run directory being created or deleted right now: look again next tick
            }
        }
    }

    private void settle(String id, String why) {
        try {
            if (store.trainerAlive(id)) { // another process (e.g. a trainer started by a previous server) owns it
                attached.add(id);
                return;
            }
            StatusRecord s = store.state(id);
            if (s.status().isFinal()) return;
            boolean stopped = stopRequested.remove(id);
            trainwatch.store.StopRequest as = stopped ? store.stopRequest(id) : null;
            RunStatus status = as != null ? as.status() : stopped ? RunStatus.STOPPED : RunStatus.INTERRUPTED;
            long free = disk.freeBytes(store.root());
            String how = forced.remove(id) ? "the trainer was killed after " + stopTimeoutMs + " ms" : "the trainer exited without writing its status";
            String reason = !stopped ? (free >= 0 && free < DiskSpace.REFUSE_BELOW ? DiskSpace.fullReason(free, store.root()) + " (" + why + ")" : why)
                    : as != null ? as.reason() + " (" + how + ")"
                    : "stopped on request (" + how + ")";
            boolean written = store.writeStateOrKeep(id, new StatusRecord(status, reason, clock.millis(), 0, s.createdMs()));
            statusChanged(id);
            if (written) LOG.info("run {}: {} ({})", id, status.wire(), reason);
            else LOG.warn("run {}: {} ({}); status.json cannot be rewritten now, kept in memory until it can", id, status.wire(), reason);
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not settle its status: {}", id, e.toString());
        }
    }

    private void launchWhileSlotsFree() {
        String id;
        while ((id = queue.next(busySlots(), maxParallel)) != null) {
            Job job = jobsWaiting.remove(id);
            if (job != null) {
                try {
                    Process p = job.start();
                    if (p != null) jobs.put(id, p);
                } catch (RuntimeException e) {
                    LOG.warn("job {}: could not start: {}", id, e.toString());
                }
                continue;
            }
            try {
                if (!store.exists(id) || store.state(id).status() != RunStatus.QUEUED) continue; // deleted or stopped meanwhile
                Process child = launcher.startTrainer(id);
                children.put(id, child);
                onTrainerStart.accept(id);
                String run = id;
                child.onExit().thenRun(() -> statusChanged(run)); // its final status is written by now
            } catch (Exception e) {
                LOG.warn("run {}: could not start its trainer: {}", id, e.toString());
                try {
                    store.writeState(id, new StatusRecord(RunStatus.INTERRUPTED, "could not start the trainer: " + e.getMessage(),
                            clock.millis(), 0, store.state(id).createdMs()));
                    statusChanged(id);
                } catch (RuntimeException ignored) {
                    // the run directory went away; nothing left to mark
                }
            }
        }
    }

    private ProcessHandle trainerHandle(String id) {
        long pid = store.state(id).pid();
        return pid > 0 ? ProcessHandle.of(pid).orElse(null) : null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
