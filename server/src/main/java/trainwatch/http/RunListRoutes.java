package trainwatch.http;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

import trainwatch.json.Json;
import trainwatch.run.BulkDelete;
import trainwatch.run.RunEntry;
import trainwatch.run.RunException;
import trainwatch.run.RunQuery;
import trainwatch.run.RunService;

/** The run list and its housekeeping: GET /api/runs (pages), archive/unarchive, bulk delete. */
final class RunListRoutes {
    static final int MAX_IDS = 10_000;

    private final RunService runs;

    RunListRoutes(RunService runs) {
        this.runs = runs;
    }

    void list(Context ctx) {
        ctx.json(runs.list(RunQuery.parse(ctx::queryParam)));
    }

    void archive(Context ctx) {
        ctx.json(runs.archive(ctx.pathParam("id"), true));
    }

    void unarchive(Context ctx) {
        ctx.json(runs.archive(ctx.pathParam("id"), false));
    }

    /** {"ids": [...]} or {"filter": {"status", "q", "sweep", "tag", "owner", "archived"}}, and "dry_run". */
    void deleteMany(Context ctx) {
        JsonNode body = Json.tree(ctx.body());
        if (body == null || !body.isObject()) throw RunException.invalid("", "the body must be a JSON object with ids or filter");
        JsonNode dry = body.path("dry_run");
        if (!dry.isMissingNode() && !dry.isBoolean()) throw RunException.invalid("dry_run", "must be true or false");
        boolean hasIds = body.has("ids"), hasFilter = body.has("filter");
        if (hasIds == hasFilter) throw RunException.invalid(hasIds ? "filter" : "ids", "give exactly one of ids (a list of run ids) or filter (an object)");
        List<RunEntry> selection;
        if (hasIds) {
            JsonNode ids = body.get("ids");
            if (!ids.isArray()) throw RunException.invalid("ids", "must be a list of run ids");
            if (ids.size() > MAX_IDS) throw RunException.invalid("ids", "at most " + MAX_IDS + " per request (got " + ids.size() + ")");
            List<String> list = new ArrayList<>();
            for (JsonNode n : ids) {
                if (!n.isTextual()) throw RunException.invalid("ids", "must be a list of run ids (strings)");
                list.add(n.asText());
            }
            selection = runs.selection(list, null);
        } else {
            JsonNode f = body.get("filter");
            if (!f.isObject()) throw RunException.invalid("filter", "must be an object like {\"status\": \"failed\"}");
            for (var it = f.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!List.of("status", "q", "sweep", "tag", "owner", "archived").contains(k))
                    throw RunException.invalid("filter." + k, "is not a filter (status, q, sweep, tag, owner, archived)");
                if (!f.get(k).isTextual()) throw RunException.invalid("filter." + k, "must be a string");
            }
            RunQuery q;
            try {
                q = RunQuery.parse(name -> f.hasNonNull(name) ? f.get(name).asText() : null);
            } catch (RunException e) {
                var p = e.problems().get(0);
                throw RunException.invalid("filter." + p.field(), p.message());
            }
            selection = runs.selection(null, q);
        }
        BulkDelete result = runs.deleteAll(selection, dry.asBoolean(false));
        ctx.json(result);
    }

}
