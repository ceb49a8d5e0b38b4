package trainwatch.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.CheckResult;

/**
 * A check result as the REST view and the live {@code check} message carry it. {@code seq} is left
 * out (null) for a result a check process wrote to its own file: it is no log record. {@code details}
 * is the check's own object (parsed; its raw text when it is not JSON).
 */
public record CheckView(@JsonInclude(JsonInclude.Include.NON_NULL) Long seq, long t, String check, String outcome, String summary,
                        Object details) {
    public static CheckView of(CheckResult c, Long seq) {
        JsonNode details = Json.tree(c.detailsJson());
        return new CheckView(seq, c.wallMs(), c.check(), c.outcome(), c.summary(), details == null ? c.detailsJson() : details);
    }
}
