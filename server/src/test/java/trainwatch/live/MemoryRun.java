package trainwatch.live;

import java.util.ArrayList;
import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunReader;
import trainwatch.store.Series;
import trainwatch.store.StatusRecord;
import trainwatch.store.TailBatch;

/** Test double of a run's log: positions are record indexes; appends are visible to readers at once. */
final class MemoryRun implements RunReader {
    private final String id;
    private final List<RunEvent> events = new ArrayList<>();
    private StatusRecord state = new StatusRecord(RunStatus.RUNNING, "", 0, 0, 0);
    private long seq;
    /** Records before this index are "no longer cheaply readable" (positionAfter answers -1 for them). */
    private int compactedBelow;

    MemoryRun(String id) {
        this.id = id;
    }

    synchronized long scalars(long step, String tag, double value) {
        events.add(new Scalars(++seq, step, 1000 + step, new String[] {tag}, new double[] {value}));
        return seq;
    }

    synchronized long alert(long step, String kind) {
        events.add(new Alert(++seq, step, 1000 + step, kind, "loss", "look", "advice"));
        return seq;
    }

    synchronized void status(RunStatus s) {
        state = new StatusRecord(s, "", 0, 0, 0);
    }

    synchronized void compactBelow(int index) {
        compactedBelow = index;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String configJson() {
        return "{}";
    }

    @Override
    public synchronized StatusRecord state() {
        return state;
    }

    @Override
    public List<String> tags() {
        return List.of();
    }

    @Override
    public Series series(String tag, int points, long from, long to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Scalars latest() {
        return null;
    }

    @Override
    public synchronized long lastSeq() {
        return seq;
    }

    @Override
    public List<Long> filterSteps() {
        return List.of();
    }

    @Override
    public FilterSnapshot filters(long step) {
        return null;
    }

    @Override
    public List<Alert> alerts() {
        return List.of();
    }

    @Override
    public List<CheckResult> checks() {
        return List.of();
    }

    @Override
    public synchronized long positionAfter(long afterSeq) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() > afterSeq) return i < compactedBelow ? -1 : i;
        }
        return events.size();
    }

    @Override
    public synchronized TailBatch readFrom(long position, int maxRecords) {
        int from = (int) position, to = Math.min(events.size(), from + maxRecords);
        return new TailBatch(List.copyOf(events.subList(from, to)), to, List.of());
    }

    @Override
    public void close() {}
}
