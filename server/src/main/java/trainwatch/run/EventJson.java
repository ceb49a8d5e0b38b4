package trainwatch.run;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;

/** The fields of an alert and of a check result, one shape everywhere: the REST views, the live messages, the webhook. */
public final class EventJson {
    private EventJson() {}

    /** Adds seq, step, t, kind, severity, tag, message, advice to m, after what the caller put first (type, run), and returns m. */
    public static Map<String, Object> alert(Map<String, Object> m, Alert a) {
        m.put("seq", a.seq());
        m.put("step", a.step());
        m.put("t", a.wallMs());
        m.put("kind", a.kind());
        m.put("severity", a.severity().wire());
        m.put("tag", a.tag());
        m.put("message", a.message());
        m.put("advice", a.advice());
        return m;
    }

    /**
     * Adds t, check, outcome, summary and details (parsed; the raw text when it is not JSON) to m
     * and returns m. No seq: a result a check process wrote to its own file has none, so that is the caller's.
     */
    public static Map<String, Object> check(Map<String, Object> m, CheckResult c) {
        m.put("t", c.wallMs());
        m.put("check", c.check());
        m.put("outcome", c.outcome());
        m.put("summary", c.summary());
        JsonNode details = Json.tree(c.detailsJson());
        m.put("details", details == null ? c.detailsJson() : details);
        return m;
    }
}
