package trainwatch.http;

import java.util.Map;

import io.javalin.http.Context;

import trainwatch.run.Json;
import trainwatch.run.RunService;
import trainwatch.store.Series;

/** The REST handlers: parse the request, call the runs service, write JSON. Errors are mapped in HttpApp. */
final class RunRoutes {
    private final RunService runs;

    RunRoutes(RunService runs) {
        this.runs = runs;
    }

    void create(Context ctx) {
        json(ctx, 201, Map.of("id", runs.create(ctx.body())));
    }

    void get(Context ctx) {
        json(ctx, 200, runs.get(ctx.pathParam("id")));
    }

    void stop(Context ctx) {
        String id = ctx.pathParam("id");
        runs.stop(id);
        json(ctx, 202, Map.of("id", id, "stopping", true));
    }

    void delete(Context ctx) {
        String id = ctx.pathParam("id");
        runs.delete(id);
        json(ctx, 200, Map.of("id", id, "deleted", true));
    }

    void resume(Context ctx) {
        String id = ctx.pathParam("id");
        runs.resume(id);
        json(ctx, 202, Map.of("id", id, "resuming", true));
    }

    void disk(Context ctx) {
        json(ctx, 200, runs.disk());
    }

    void scalars(Context ctx) {
        String id = ctx.pathParam("id");
        runs.requireRun(id);
        int points = Params.intParam(ctx, "points", 1000);
        long from = Params.longParam(ctx, "from", Long.MIN_VALUE);
        long to = Params.longParam(ctx, "to", Long.MAX_VALUE);
        Series s = runs.scalars(id, ctx.queryParam("tag"), points, from, to);
        json(ctx, 200, Map.of("tag", s.tag(), "seq", s.seq(), "total", s.total(), "step", s.step(), "last", s.last(),
                "min", s.min(), "max", s.max(), "nonfinite", s.nonfinite()));
    }

    void clock(Context ctx) {
        long[][] c = runs.clock(ctx.pathParam("id"), Params.intParam(ctx, "points", 1000));
        json(ctx, 200, Map.of("step", c[0], "t", c[1]));
    }

    void filters(Context ctx) {
        String id = ctx.pathParam("id");
        runs.requireRun(id);
        String step = ctx.queryParam("step");
        Long at = step == null || step.isBlank() || step.equals("latest") ? null : Params.optionalLong("step", step);
        json(ctx, 200, runs.filters(id, at));
    }

    void log(Context ctx) {
        ctx.status(200).contentType("text/plain; charset=utf-8").result(runs.log(ctx.pathParam("id")));
    }

    void alerts(Context ctx) {
        json(ctx, 200, runs.alerts(ctx.pathParam("id")));
    }

    void check(Context ctx) {
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("name");
        runs.startCheck(id, name);
        json(ctx, 202, Map.of("id", id, "check", name));
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
