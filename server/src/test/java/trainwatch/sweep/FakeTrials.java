package trainwatch.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.search.Goal;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;

/**
 * Trial runs in memory: the test says when a run starts, what its metric is after each epoch and how it ends.
 * A stop behaves like a trainer that honours it (status stopped, or what the stop asked for).
 * {@link #crashOnCreate} makes the next create die like a killed process: nothing is created and the error escapes.
 */
final class FakeTrials implements Trials {
    static final class Run {
        final String id, config, sweepJson;
        RunStatus status = RunStatus.QUEUED;
        String reason = "";
        final List<Double> epochs = new ArrayList<>();
        final List<StopRequest> stops = new ArrayList<>();

        Run(String id, String config, String sweepJson) {
            this.id = id;
            this.config = config;
            this.sweepJson = sweepJson;
        }

        int trial() {
            return Json.tree(sweepJson).path("trial").asInt();
        }
    }

    /** Thrown by a create that "crashes": an Error, so no catch (Exception) in the controller hides it. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    final Map<String, Run> runs = new LinkedHashMap<>();
    final Map<String, Integer> creates = new LinkedHashMap<>();
    final List<String> deleted = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    boolean crashOnCreate;

    @Override
    public synchronized String newRunId() {
        return String.format("20261203-000000-%04d", ids.incrementAndGet());
    }

    @Override
    public synchronized boolean exists(String run) {
        return runs.containsKey(run);
    }

    @Override
    public synchronized void create(String run, String configJson, String sweepJson) {
        if (crashOnCreate) {
            crashOnCreate = false;
            throw new Crash();
        }
        if (runs.containsKey(run)) throw new IllegalStateException("run " + run + " already exists");
        runs.put(run, new Run(run, configJson, sweepJson));
        creates.merge(run, 1, Integer::sum);
    }

    @Override
    public synchronized StatusRecord state(String run) {
        Run r = runs.get(run);
        return new StatusRecord(r.status, r.reason, 0, 0, 0);
    }

    @Override
    public synchronized void stop(String run, StopRequest as) {
        Run r = runs.get(run);
        r.stops.add(as);
        if (r.status.isFinal()) return;
        r.status = as == null ? RunStatus.STOPPED : as.status();
        r.reason = as == null ? "stop requested" : as.reason();
    }

    @Override
    public synchronized List<Double> epochValues(String run, String tag, int fromEpoch) {
        List<Double> e = runs.get(run).epochs;
        return fromEpoch - 1 >= e.size() ? List.of() : new ArrayList<>(e.subList(fromEpoch - 1, e.size()));
    }

    @Override
    public synchronized Double best(String run, String tag, Goal goal) {
        Double best = null;
        for (Double v : runs.get(run).epochs) if (v != null && Double.isFinite(v) && (best == null || goal.better(v, best))) best = v;
        return best;
    }

    @Override
    public synchronized int epochs(String run) {
        return runs.get(run).epochs.size();
    }

    @Override
    public synchronized boolean delete(String run) {
        if (runs.remove(run) == null) return false;
        deleted.add(run);
        return true;
    }

    // ---- what the test does to the runs

    synchronized Run run(String id) {
        return runs.get(id);
    }

    /** The run of trial n's latest attempt. */
    synchronized Run trial(int n) {
        Run last = null;
        for (Run r : runs.values()) if (r.trial() == n) last = r;
        return last;
    }

    synchronized void epoch(String run, double value) {
        Run r = runs.get(run);
        r.status = RunStatus.RUNNING;
        r.epochs.add(value);
    }

    synchronized void end(String run, RunStatus status, String reason) {
        Run r = runs.get(run);
        r.status = status;
        r.reason = reason;
    }

    synchronized List<Run> active() {
        return runs.values().stream().filter(r -> !r.status.isFinal()).toList();
    }
}
