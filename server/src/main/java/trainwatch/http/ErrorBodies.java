package trainwatch.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import trainwatch.run.Json;
import trainwatch.run.Problem;

/** DESIGN.md's error shape: {"error": "<first problem>", "errors": [{"field", "message"}]}. */
final class ErrorBodies {
    private ErrorBodies() {}

    static String of(List<Problem> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", problems.isEmpty() ? "error" : problems.get(0).line());
        m.put("errors", problems.stream().map(p -> {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("field", p.field());
            e.put("message", p.message());
            return e;
        }).toList());
        return Json.write(m);
    }

    static String of(String message) {
        return of(List.of(new Problem("", message)));
    }
}
