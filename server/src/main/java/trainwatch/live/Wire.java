package trainwatch.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;
import trainwatch.json.AlertView;
import trainwatch.json.CheckView;
import trainwatch.json.Json;

/**
 * The live messages of docs/api.md. Consecutive Scalars records become one columnar
 * {@code scalars} message (records of one step merge into one column entry; null where
 * a tag has no value); any other record ends the batch so messages stay in seq order.
 */
public final class Wire {
    private Wire() {}

    /** Events (in seq order) -> messages, at most maxPerMessage records per scalars message. */
    public static List<Frame> frames(List<RunEvent> events, int maxPerMessage) {
        List<Frame> out = new ArrayList<>();
        List<Scalars> batch = new ArrayList<>();
        for (RunEvent e : events) {
            if (e instanceof Scalars s) {
                batch.add(s);
                if (batch.size() >= maxPerMessage) flush(batch, out);
                continue;
            }
            flush(batch, out);
            out.add(single(e));
        }
        flush(batch, out);
        return out;
    }

    private static void flush(List<Scalars> batch, List<Frame> out) {
        if (batch.isEmpty()) return;
        out.add(scalars(batch));
        batch.clear();
    }

    static Frame scalars(List<Scalars> records) {
        List<Long> steps = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> cols = new LinkedHashMap<>();
        for (Scalars r : records) {
            int last = steps.size() - 1;
            if (last < 0 || steps.get(last) != r.step() || collides(cols, r, last)) {
                steps.add(r.step());
                times.add(r.wallMs());
                last++;
            }
            for (int i = 0; i < r.tags().length; i++) {
                List<Double> col = cols.computeIfAbsent(r.tags()[i], k -> new ArrayList<>());
                while (col.size() <= last) col.add(null);
                col.set(last, r.values()[i]);
            }
        }
        for (List<Double> col : cols.values()) while (col.size() < steps.size()) col.add(null); // every column as long as step
        long seq = records.get(records.size() - 1).seq();
        return new Frame(Json.write(new ScalarsMessage("scalars", seq, steps, times, cols)), seq);
    }

    private static boolean collides(Map<String, List<Double>> cols, Scalars r, int index) {
        for (String t : r.tags()) {
            List<Double> col = cols.get(t);
            if (col != null && col.size() > index && col.get(index) != null) return true;
        }
        return false;
    }

    static Frame single(RunEvent e) {
        if (e instanceof Scalars s) return scalars(List.of(s));
        if (e instanceof CheckResult c) return check(c, c.seq());
        Object m;
        if (e instanceof FilterSnapshot f) m = new FiltersMessage("filters", f.seq(), f.step(), f.wallMs(), f.shape());
        else if (e instanceof StatusChange s) m = new StatusMessage("status", s.seq(), s.wallMs(), s.status().wire(), s.reason());
        else if (e instanceof Alert a) m = new AlertMessage("alert", AlertView.of(a));
        else throw new IllegalArgumentException("no live message for " + e.getClass().getSimpleName());
        return new Frame(Json.write(m), e.seq());
    }

    /** A check result; one written by a check process to its own file is no log record and carries no seq (seq = -1 here). */
    static Frame check(CheckResult c, long seq) {
        return new Frame(Json.write(new CheckMessage("check", CheckView.of(c, seq >= 0 ? seq : null))), seq);
    }

    static Frame hello(String run, long seq, RunStatus status, String reason) {
        return new Frame(Json.write(new Hello("hello", run, seq, status.wire(), reason)), -1);
    }

    /**
     * A status seen in status.json only (written by the server: queued, interrupted, a forced stop).
     * It is no log record, so it carries no seq: a client must not take it as a resume point.
     */
    static Frame status(long t, RunStatus status, String reason) {
        return new Frame(Json.write(new StatusMessage("status", null, t, status.wire(), reason)), -1);
    }

    static Frame resync(long seq) {
        return new Frame(Json.write(new Resync("resync", seq)), -1);
    }

    public static Frame error(String message) {
        return new Frame(Json.write(new ErrorMessage("error", message)), -1);
    }

    public static Frame pong() {
        return new Frame(Json.write(new Pong("pong")), -1);
    }

    /** Any other message (the run list's): an object whose first key is its type. */
    static Frame message(Object m) {
        return new Frame(Json.write(m), -1);
    }

    // The messages, one record each (keys are the components in snake_case; docs/api.md shows each).

    /** Columnar: one entry per step; null where a tag has no value at that step. */
    public record ScalarsMessage(String type, long seq, List<Long> step, List<Long> t, Map<String, List<Double>> values) {}

    public record FiltersMessage(String type, long seq, long step, long t, int[] shape) {}

    /** seq is null (left out) for a status only the server wrote. */
    public record StatusMessage(String type, @JsonInclude(JsonInclude.Include.NON_NULL) Long seq, long t, String status, String reason) {}

    public record AlertMessage(String type, @JsonUnwrapped AlertView alert) {}

    public record CheckMessage(String type, @JsonUnwrapped CheckView result) {}

    public record Hello(String type, String run, long seq, String status, String reason) {}

    public record Resync(String type, long seq) {}

    public record ErrorMessage(String type, String error) {}

    public record Pong(String type) {}
}
