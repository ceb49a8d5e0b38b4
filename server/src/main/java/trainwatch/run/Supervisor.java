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
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunState;
import trainwatch.store.RunStore;

/**
 * Owns the trainer processes: the queue, the --max-parallel slots, stop, and the
 * detection of trainers that vanished. It writes only {@code queued}, {@code interrupted}
 * and (for a stop it had to force, or a run stopped before it started) {@code stopped};
 * everything else is the trainer's to write. Liveness = the store's trainer lock,
 * checked BEFORE status.json is read: a trainer writes its final status and only then
 * releases the lock, so "lock free and status not final" really means it vanished.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** A run found 'running' without a lock is left alone this long after its last status write (a trainer may be starting up). */
    static final long GRACE_MS = 5_000;

    private final RunStore store;
    private final Launcher launcher;
    private final Clock clock;
    private final int maxParallel;
    private final long stopTimeoutMs;
    private final RunQueue queue = new RunQueue();
    private final Map<String, Process> children = new HashMap<>();
    private final Set<String> attached = new HashSet<>();
    private final Set<String> stopRequested = new HashSet<>();
    private final Set<String> forced = new HashSet<>();
    /** Stops asked for and not yet done: the trainer is killed once the clock passes its deadline (checked every tick). */
    private final Map<String, PendingStop> stopping = new HashMap<>();
    private final Map<String, Process> checks = new HashMap<>();
    private final Set<String> settled = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-supervisor");
        t.setDaemon(true);
        return t;
    });

    public Supervisor(RunStore store, Launcher launcher, Clock clock, int maxParallel, long stopTimeoutMs) {
        if (maxParallel < 1) throw new IllegalArgumentException("max-parallel must be >= 1, got " + maxParallel);
        this.store = store;
        this.launcher = launcher;
        this.clock = clock;
        this.maxParallel = maxParallel;
        this.stopTimeoutMs = stopTimeoutMs;
    }

    /** Server start: re-attach live trainers, mark dead ones interrupted, queue what never started; then watch every 500 ms. */
    public void start() {
        synchronized (this) {
            // one status read per run (thousands of runs): queued ones in the order store.ids() gives, newest first
            Map<String, Long> queued = new HashMap<>();
            for (String id : store.names()) {
                if (queue.contains(id) || children.containsKey(id)) continue; // submitted through the API while we started
                try {
                    RunState s = store.state(id);
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

    /** A new run (status queued already on disk) waits for a slot. */
    public synchronized void submit(String id) {
        queue.add(id);
        launchWhileSlotsFree();
    }

    /** True while the run is queued here or has a live trainer this server knows of. */
    public synchronized boolean isActive(String id) {
        return queue.contains(id) || children.containsKey(id) || attached.contains(id);
    }

    /**
     * Waits (outside the lock) for the trainer of a run whose final status is written to exit and
     * release its lock, then settles it; true when nothing of the run is active any more.
     */
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

    public synchronized boolean checkRunning(String id, String check) {
        Process p = checks.get(id + "/" + check);
        return p != null && p.isAlive();
    }

    /**
     * Asks the trainer to stop (SIGTERM: it writes 'stopped' itself), forcibly after the timeout.
     * status.json is read before anything else: a trainer that has written its final status may
     * still be exiting (alive, holding its lock), and there is nothing left to stop then (409).
     */
    public synchronized void stop(String id) {
        RunState state = store.state(id);
        if (state.status().isFinal()) throw RunException.conflict("run " + id + " is not running (status " + state.status().wire() + ")");
        if (queue.remove(id)) {
            store.writeState(id, new RunState(RunStatus.STOPPED, "stopped before it started", clock.millis(), 0, state.createdMs()));
            return;
        }
        Process child = children.get(id);
        ProcessHandle handle = child != null ? child.toHandle() : attached.contains(id) ? trainerHandle(id) : null;
        if (handle == null) throw RunException.conflict("run " + id + " has no trainer this server can stop (status " + state.status().wire() + ")");
        stopRequested.add(id);
        stopping.put(id, new PendingStop(handle, clock.millis() + stopTimeoutMs));
        handle.destroy();
    }

    public synchronized void startCheck(String id, String check) {
        String key = id + "/" + check;
        Process running = checks.get(key);
        if (running != null && running.isAlive()) throw RunException.conflict("check " + check + " is already running for run " + id);
        try {
            checks.put(key, launcher.startCheck(id, check));
        } catch (java.io.IOException e) {
            LOG.warn("run {}: could not start check {}", id, check, e);
            throw RunException.conflict("could not start check " + check + " (the reason is in the server's log)");
        }
    }

    /** Ids this supervisor currently counts against --max-parallel. */
    public synchronized List<String> busy() {
        Set<String> all = new HashSet<>(children.keySet());
        all.addAll(attached);
        return List.copyOf(all);
    }

    public synchronized List<String> queued() {
        return queue.snapshot();
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
            try {
                RunState s = store.state(id);
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
            RunState s = store.state(id);
            if (s.status().isFinal()) return;
            boolean stopped = stopRequested.remove(id);
            RunStatus status = stopped ? RunStatus.STOPPED : RunStatus.INTERRUPTED;
            String reason = !stopped ? why
                    : forced.remove(id) ? "stopped on request (the trainer was killed after " + stopTimeoutMs + " ms)"
                    : "stopped on request (the trainer exited without writing its status)";
            store.writeState(id, new RunState(status, reason, clock.millis(), 0, s.createdMs()));
            LOG.info("run {}: {} ({})", id, status.wire(), reason);
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not settle its status: {}", id, e.toString());
        }
    }

    private void launchWhileSlotsFree() {
        String id;
        while ((id = queue.next(children.size() + attached.size(), maxParallel)) != null) {
            try {
                if (!store.exists(id) || store.state(id).status() != RunStatus.QUEUED) continue; // deleted or stopped meanwhile
                children.put(id, launcher.startTrainer(id));
            } catch (Exception e) {
                LOG.warn("run {}: could not start its trainer: {}", id, e.toString());
                try {
                    store.writeState(id, new RunState(RunStatus.INTERRUPTED, "could not start the trainer: " + e.getMessage(),
                            clock.millis(), 0, store.state(id).createdMs()));
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
