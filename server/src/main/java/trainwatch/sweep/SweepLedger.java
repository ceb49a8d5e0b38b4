package trainwatch.sweep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's state as the fold of its events.jsonl: the same events give the same ledger, which
 * is how a restarted server continues a sweep. Live statuses of active trials (queued, running)
 * are not events: the controller fills them in from the runs.
 */
final class SweepLedger {
    static final String RUNNING = "running", STOPPED = "stopped", FINISHED = "finished", FAILED = "failed";

    /** One trial: its latest attempt's run, values, and (once ended) its outcome. */
    static final class TrialState {
        final int n;
        final Map<String, Object> values;
        final long t;
        String run;
        String retryOf;
        int attempts = 1;
        /** final status of the current attempt, null while it is active */
        String end;
        String live = "queued";
        Double value;
        int epochs;
        String reason = "";
        /** epochs whose metric has been looked at (reports written for those that had a value) */
        int reported;
        /** set when the early stopping said stop: the reason the run is to end with */
        String pruneReason;
        boolean pruneSent;

        TrialState(int n, Map<String, Object> values, long t, String run) {
            this.n = n;
            this.values = values;
            this.t = t;
            this.run = run;
        }

        boolean active() {
            return end == null;
        }

        String status() {
            return end != null ? end : live;
        }

        TrialView view() {
            return new TrialView(n, run, status(), values, value, epochs, reason, retryOf);
        }
    }

    String state = RUNNING;
    String reason = "";
    long created;
    private final Map<Integer, TrialState> trials = new TreeMap<>();
    private final Map<String, TrialState> byRun = new HashMap<>();
    /** every run id any attempt had, in order */
    private final List<String> runs = new ArrayList<>();
    /** report events in their original order (early stopping replays them) */
    final List<SweepEvent> reports = new ArrayList<>();

    void apply(SweepEvent e) {
        switch (e.type()) {
            case SweepEvent.STATE -> {
                if (created == 0 && e.t() != null) created = e.t();
                state = e.state();
                reason = e.reason() == null ? "" : e.reason();
            }
            case SweepEvent.TRIAL -> {
                TrialState ts = new TrialState(e.n(), e.values() == null ? Map.of() : e.values(), e.t() == null ? 0 : e.t(), e.run());
                trials.put(e.n(), ts);
                byRun.put(e.run(), ts);
                runs.add(e.run());
            }
            case SweepEvent.REPORT -> {
                TrialState ts = byRun.get(e.run());
                if (ts == null || !e.run().equals(ts.run)) return;
                ts.reported = Math.max(ts.reported, e.epoch());
                reports.add(e);
            }
            case SweepEvent.END -> {
                TrialState ts = byRun.get(e.run());
                if (ts == null || !e.run().equals(ts.run)) return;
                ts.end = e.status();
                ts.value = e.value();
                ts.epochs = e.epochs() == null ? 0 : e.epochs();
                ts.reason = e.reason() == null ? "" : e.reason();
            }
            case SweepEvent.RETRY -> {
                TrialState ts = trials.get(e.n());
                if (ts == null) return;
                byRun.put(e.run(), ts);
                runs.add(e.run());
                ts.retryOf = e.of();
                ts.run = e.run();
                ts.attempts++;
                ts.end = null;
                ts.live = "queued";
                ts.value = null;
                ts.epochs = 0;
                ts.reason = "";
                ts.reported = 0;
                ts.pruneReason = null;
                ts.pruneSent = false;
            }
            default -> {
                // an event type from a newer version: nothing this one can do with it
            }
        }
    }

    Collection<TrialState> trials() {
        return trials.values();
    }

    TrialState trial(int n) {
        return trials.get(n);
    }

    TrialState byRun(String run) {
        return byRun.get(run);
    }

    int size() {
        return trials.size();
    }

    List<String> runs() {
        return List.copyOf(runs);
    }

    int active() {
        int a = 0;
        for (TrialState t : trials.values()) if (t.active()) a++;
        return a;
    }
}
