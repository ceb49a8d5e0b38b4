package trainwatch.sweep;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;

import trainwatch.config.ConfigException;
import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.search.Assignment;
import trainwatch.search.Decision;
import trainwatch.search.EarlyStop;
import trainwatch.search.Sampler;
import trainwatch.search.Trial;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;
import trainwatch.sweep.SweepLedger.TrialState;

/**
 * The controller of one sweep. Each {@link #tick()} follows the active trials (their status,
 * and their metric epoch by epoch for the early stopping), records the ones that ended,
 * retries interrupted ones, and starts new trials while fewer than {@code parallel} are active.
 * Every decision is an event appended (fsynced) BEFORE it is acted on: a trial's run id is
 * written before the run is created, so a restart finds the run or creates it, never twice.
 */
final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    final String id;
    final SweepSpec spec;
    private final SweepStore store;
    private final Trials trials;
    private final Clock clock;
    private final Path dataDir;
    private final Consumer<SweepChange> changes;
    final SweepLedger ledger = new SweepLedger();
    private final EarlyStop early;
    private final Sampler sampler;
    private boolean exhausted;

    private Sweeper(String id, SweepSpec spec, SweepStore store, Trials trials, Clock clock, Path dataDir, Consumer<SweepChange> changes) {
        this.id = id;
        this.spec = spec;
        this.store = store;
        this.trials = trials;
        this.clock = clock;
        this.dataDir = dataDir;
        this.changes = changes;
        this.early = spec.newEarlyStop();
        this.sampler = spec.sampler();
    }

    /** The sweep as its events say: the ledger folded, the early stopping fed every stored report in order. */
    static Sweeper replay(String id, SweepSpec spec, List<SweepEvent> events, SweepStore store, Trials trials, Clock clock, Path dataDir,
                          Consumer<SweepChange> changes) {
        Sweeper s = new Sweeper(id, spec, store, trials, clock, dataDir, changes);
        for (SweepEvent e : events) s.ledger.apply(e);
        for (SweepEvent r : s.ledger.reports) {
            Decision d = s.early.report(r.run(), r.epoch(), r.value() == null ? Double.NaN : r.value());
            TrialState ts = s.ledger.byRun(r.run());
            if (d.stop() && ts != null && ts.active() && r.run().equals(ts.run)) ts.pruneReason = d.reason(); // re-sent on the next tick
        }
        return s;
    }

    synchronized boolean running() {
        return SweepLedger.RUNNING.equals(ledger.state);
    }

    /** Nothing left to do: not running and no trial active. */
    synchronized boolean done() {
        return !running() && ledger.active() == 0;
    }

    synchronized void tick() {
        for (TrialState ts : new ArrayList<>(ledger.trials())) {
            try {
                if (ts.active()) follow(ts);
                if (!ts.active() && retryDue(ts)) retry(ts);
            } catch (RuntimeException e) {
                LOG.warn("sweep {}: trial {} (run {}): {}", id, ts.n, ts.run, e.toString());
            }
        }
        if (running()) {
            startNew();
            if (ledger.active() == 0 && (ledger.size() >= spec.trials() || exhausted) && ledger.trials().stream().noneMatch(this::retryDue))
                setState(SweepLedger.FINISHED, "");
        }
    }

    /** Asks for the stop: no new trial starts, active ones are stopped (they end stopped). */
    synchronized void stop() {
        if (!running()) return;
        setState(SweepLedger.STOPPED, "stopped on request");
        for (TrialState ts : ledger.trials())
            if (ts.active() && trials.exists(ts.run)) trials.stop(ts.run, null);
    }

    private void setState(String state, String reason) {
        append(SweepEvent.state(state, reason, clock.millis()));
        changes.accept(new SweepChange(id, null, SweepViews.summary(this)));
    }

    private void follow(TrialState ts) {
        if (!trials.exists(ts.run)) { // written as a trial (or retry) but the run was never created: a crash in between
            if (running()) create(ts);
            else end(ts, RunStatus.STOPPED.wire(), null, 0, "the sweep was stopped before this trial's run was created");
            return;
        }
        StatusRecord s = trials.state(ts.run);
        String was = ts.live;
        RunStatus status = s.status();
        if (status != RunStatus.FAILED && status != RunStatus.DIVERGED && status != RunStatus.INTERRUPTED) report(ts, status.isFinal());
        if (status.isFinal()) {
            boolean worst = status == RunStatus.FAILED || status == RunStatus.DIVERGED || status == RunStatus.INTERRUPTED;
            Double value = worst ? null : trials.best(ts.run, spec.tag(), spec.goal());
            end(ts, status.wire(), value, trials.epochs(ts.run), s.reason());
            return;
        }
        ts.live = status.wire();
        if (ts.pruneReason != null && !ts.pruneSent) {
            ts.pruneSent = true;
            trials.stop(ts.run, new StopRequest(RunStatus.PRUNED, ts.pruneReason));
        }
        if (!ts.live.equals(was)) changed(ts);
    }

    /** Tells the early stopping the metric of every newly completed epoch (a report event each), in order. */
    private void report(TrialState ts, boolean ended) {
        List<Double> values = trials.epochValues(ts.run, spec.tag(), ts.reported + 1);
        for (Double v : values) {
            int epoch = ts.reported + 1;
            ts.reported = epoch;
            if (v == null) continue; // no evaluation yet by the end of this epoch
            SweepEvent e = SweepEvent.report(ts.run, epoch, v);
            append(e);
            Decision d = early.report(ts.run, epoch, v);
            if (d.stop() && !ended && ts.pruneReason == null) ts.pruneReason = d.reason();
        }
    }

    private void end(TrialState ts, String status, Double value, int epochs, String reason) {
        append(SweepEvent.end(ts.run, status, value, epochs, reason));
        changed(ts);
    }

    private boolean retryDue(TrialState ts) {
        return running() && RunStatus.INTERRUPTED.wire().equals(ts.end) && ts.attempts <= spec.retries();
    }

    private void retry(TrialState ts) {
        append(SweepEvent.retry(ts.n, trials.newRunId(), ts.run));
        create(ts);
    }

    private void startNew() {
        while (ledger.active() < spec.parallel() && ledger.size() < spec.trials() && !exhausted) {
            int n = ledger.size();
            Optional<Assignment> next = sampler.suggest(history(), pending(), Sampler.rngFor(spec.seed(), n));
            if (next.isEmpty()) {
                exhausted = true;
                return;
            }
            // the values as they will read back from events.jsonl, so a replayed sweep sees exactly what this one saw
            Map<String, Object> values = Json.MAPPER.convertValue(next.get().values(), new TypeReference<LinkedHashMap<String, Object>>() {});
            append(SweepEvent.trial(n, trials.newRunId(), values, clock.millis()));
            create(ledger.trial(n));
        }
    }

    private String owner;
    private boolean ownerRead;

    /** Who started this sweep (its owner.json, written at creation), or null. */
    synchronized String owner() {
        if (!ownerRead) {
            owner = trainwatch.run.RunOwner.read(store.dir(id));
            ownerRead = true;
        }
        return owner;
    }

    private void create(TrialState ts) {
        String config;
        try {
            config = TrialConfig.json(spec, ts.n, ts.values, dataDir);
        } catch (ConfigException e) {
            end(ts, RunStatus.FAILED.wire(), null, 0, "these values make an invalid run: " + e.getMessage());
            return;
        }
        Map<String, Object> sweepJson = new LinkedHashMap<>();
        sweepJson.put("sweep", id);
        sweepJson.put("trial", ts.n);
        sweepJson.put("values", ts.values);
        if (owner() != null) sweepJson.put("owner", owner()); // a trial's owner is its sweep's (run/RunOwner)
        try {
            trials.create(ts.run, config, Json.write(sweepJson));
        } catch (RuntimeException e) {
            LOG.warn("sweep {}: could not create run {} for trial {}", id, ts.run, ts.n, e);
            end(ts, RunStatus.FAILED.wire(), null, 0, "could not create its run: " + e.getMessage());
            return;
        }
        ts.live = RunStatus.QUEUED.wire();
        changed(ts);
    }

    /** Ended trials in trial order, as the sampler sees them (failed, diverged, interrupted: the worst). */
    List<Trial> history() {
        List<Trial> out = new ArrayList<>();
        for (TrialState ts : ledger.trials()) {
            if (ts.active() || retryDue(ts)) continue;
            out.add(asTrial(ts));
        }
        return out;
    }

    static Trial asTrial(TrialState ts) {
        Assignment a = new Assignment(ts.values);
        if (ts.value == null) return Trial.failed(a);
        return switch (ts.end) {
            case "finished" -> Trial.complete(a, ts.value);
            case "pruned", "stopped" -> Trial.pruned(a, ts.value, ts.epochs);
            default -> Trial.failed(a);
        };
    }

    private List<Assignment> pending() {
        List<Assignment> out = new ArrayList<>();
        for (TrialState ts : ledger.trials()) if (ts.active() || retryDue(ts)) out.add(new Assignment(ts.values));
        return out;
    }

    private void append(SweepEvent e) {
        store.append(id, e);
        ledger.apply(e);
    }

    private void changed(TrialState ts) {
        changes.accept(new SweepChange(id, ts.view(), SweepViews.summary(this)));
    }
}
