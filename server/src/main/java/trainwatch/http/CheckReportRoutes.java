package trainwatch.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RemoteChecks;
import trainwatch.run.RunException;
import trainwatch.run.RunService;

/**
 * POST /api/ingest/runs/{id}/checks/{name} (docs/api.md "Checks that report over HTTP"): a check running as a
 * Kubernetes Job reports {@code running}, then its result. The key its Job was given (or an editor's token) is
 * checked before anything else; the executor stores the report where a local check writes its file.
 */
final class CheckReportRoutes {
    static final Set<String> OUTCOMES = Set.of("running", "pass", "warn", "fail");
    static final int MAX_SUMMARY = 4096;

    /** 200 answer: what was stored. */
    record Stored(String id, String check, String outcome) {}

    private final RunService runs;
    private final RemoteChecks checks;

    CheckReportRoutes(RunService runs, RemoteChecks checks) {
        this.runs = runs;
        this.checks = checks;
    }

    void report(Context ctx) {
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("name");
        if (!Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED))) { // an editor may report for any check Job
            String auth = ctx.header("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() <= 7)
                throw RunException.of(RunException.Kind.UNAUTHORIZED, "Authorization", "is required: \"Bearer <the key in the check Job's Secret>\"");
            if (!checks.keyMatches(id, name, auth.substring(7).trim()))
                throw RunException.of(RunException.Kind.FORBIDDEN, "Authorization", "is not the key of the " + name + " check Job of run " + id);
        }
        runs.requireRun(id);
        RemoteChecks.Report r = parse(ctx.body());
        ctx.json(new Stored(id, name, checks.report(id, name, r)));
    }

    static RemoteChecks.Report parse(String body) {
        JsonNode n = Json.tree(body);
        if (n == null || !n.isObject()) throw RunException.invalid("body", "must be a JSON object {\"outcome\", \"summary\", \"details\"}");
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("outcome", "summary", "details").contains(f)) problems.add(new Problem(f, "is not a field of a check report (outcome, summary, details)"));
        }
        JsonNode outcome = n.get("outcome");
        if (outcome == null || !outcome.isTextual() || !OUTCOMES.contains(outcome.asText()))
            problems.add(new Problem("outcome", "must be one of running, pass, warn, fail"));
        JsonNode summary = n.get("summary");
        if (summary != null && !summary.isNull() && (!summary.isTextual() || summary.asText().length() > MAX_SUMMARY))
            problems.add(new Problem("summary", "must be a string of at most " + MAX_SUMMARY + " characters"));
        JsonNode details = n.get("details");
        if (details != null && !details.isNull() && !details.isObject()) problems.add(new Problem("details", "must be an object"));
        if (!problems.isEmpty()) throw RunException.invalid(problems);
        return new RemoteChecks.Report(outcome.asText(), summary == null || summary.isNull() ? "" : summary.asText(),
                details == null || details.isNull() ? "{}" : details.toString());
    }
}
