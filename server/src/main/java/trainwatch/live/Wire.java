package trainwatch.live;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;
import trainwatch.run.EventJson;
import trainwatch.run.Json;

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
        StringWriter w = new StringWriter(64 + records.size() * 24);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "scalars");
            g.writeNumberField("seq", records.get(records.size() - 1).seq());
            g.writeArrayFieldStart("step");
            for (long s : steps) g.writeNumber(s);
            g.writeEndArray();
            g.writeArrayFieldStart("t");
            for (long t : times) g.writeNumber(t);
            g.writeEndArray();
            g.writeObjectFieldStart("values");
            for (var c : cols.entrySet()) {
                g.writeArrayFieldStart(c.getKey());
                List<Double> col = c.getValue();
                for (int i = 0; i < steps.size(); i++) {
                    Double v = i < col.size() ? col.get(i) : null;
                    if (v == null) g.writeNull();
                    else g.writeNumber(v); // NaN/Infinity become strings (QUOTE_NON_NUMERIC_NUMBERS)
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame(w.toString(), records.get(records.size() - 1).seq());
    }

    private static boolean collides(Map<String, List<Double>> cols, Scalars r, int index) {
        for (String t : r.tags()) {
            List<Double> col = cols.get(t);
            if (col != null && col.size() > index && col.get(index) != null) return true;
        }
        return false;
    }

    static Frame single(RunEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e instanceof Scalars s) return scalars(List.of(s));
        if (e instanceof CheckResult c) return check(c, c.seq());
        if (e instanceof FilterSnapshot f) {
            m.put("type", "filters");
            m.put("seq", f.seq());
            m.put("step", f.step());
            m.put("t", f.wallMs());
            m.put("shape", f.shape());
        } else if (e instanceof StatusChange s) {
            m.put("type", "status");
            m.put("seq", s.seq());
            m.put("t", s.wallMs());
            m.put("status", s.status().wire());
            m.put("reason", s.reason());
        } else if (e instanceof Alert a) {
            m.put("type", "alert");
            EventJson.alert(m, a);
        }
        return new Frame(Json.write(m), e.seq());
    }

    /** A check result; one written by a check process to its own file is no log record and carries no seq (seq = -1 here). */
    static Frame check(CheckResult c, long seq) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "check");
        if (seq >= 0) m.put("seq", seq);
        return new Frame(Json.write(EventJson.check(m, c)), seq);
    }

    static Frame hello(String run, long seq, RunStatus status, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "hello");
        m.put("run", run);
        m.put("seq", seq);
        m.put("status", status.wire());
        m.put("reason", reason);
        return new Frame(Json.write(m), -1);
    }

    /**
     * A status seen in status.json only (written by the server: queued, interrupted, a forced stop).
     * It is no log record, so it carries no seq: a client must not take it as a resume point.
     */
    static Frame status(long t, RunStatus status, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "status");
        m.put("t", t);
        m.put("status", status.wire());
        m.put("reason", reason);
        return new Frame(Json.write(m), -1);
    }

    static Frame resync(long seq) {
        return new Frame(Json.write(Map.of("type", "resync", "seq", seq)), -1);
    }

    public static Frame error(String message) {
        return new Frame(Json.write(Map.of("type", "error", "error", message)), -1);
    }

    public static Frame pong() {
        return new Frame("{\"type\":\"pong\"}", -1);
    }

    static Frame message(Map<String, Object> m) {
        return new Frame(Json.write(m), -1);
    }
}
