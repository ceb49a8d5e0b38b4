package trainwatch.http;

import java.util.List;

import trainwatch.json.Json;
import trainwatch.run.Problem;

/** The error shapes of docs/api.md: a caller's mistake names its fields; a server fault names only an id to find in the log. */
final class ErrorBodies {
    private ErrorBodies() {}

    /** {"error": "<first problem>", "errors": [{"field", "message"}]} */
    record ErrorBody(String error, List<FieldMessage> errors) {}

    record FieldMessage(String field, String message) {}

    /** {"error": "internal error", "id": "<short id>"}: the id is in the server's log beside the stack trace. */
    record InternalError(String error, String id) {}

    static ErrorBody body(List<Problem> problems) {
        return new ErrorBody(problems.isEmpty() ? "error" : problems.get(0).line(),
                problems.stream().map(p -> new FieldMessage(p.field(), p.message())).toList());
    }

    static String of(List<Problem> problems) {
        return Json.write(body(problems));
    }

    static String of(String message) {
        return of(List.of(new Problem("", message)));
    }

    static String internal(String id) {
        return Json.write(new InternalError("internal error", id));
    }
}
