package trainwatch.http;

import io.javalin.http.Context;

import trainwatch.run.RunService;
import trainwatch.store.Series;

/**
 * The REST handlers: parse the request (Javalin's own query validation), call the runs service,
 * answer with a record through the one JSON mapper. Errors are mapped in HttpApp.
 */
final class RunRoutes {
    static final int DEFAULT_POINTS = 1000;

    private final RunService runs;

    RunRoutes(RunService runs) {
        this.runs = runs;
    }

    // The small answers, one record each (docs/api.md).
    record Created(String id) {}

    record Stopping(String id, boolean stopping) {}

    record Deleted(String id, boolean deleted) {}

    record Resuming(String id, boolean resuming) {}

    /** Wall-clock anchors for time x axes: t[i] is the wall ms of step[i]. */
    record ClockView(long[] step, long[] t) {}

    record CheckStarted(String id, String check) {}

    /** GET /api/runs/{id}/scalars: columnar, straight into the charts. */
    record ScalarsView(String tag, long seq, long total, long[] step, double[] last, double[] min, double[] max, int[] nonfinite) {
        static ScalarsView of(Series s) {
            return new ScalarsView(s.tag(), s.seq(), s.total(), s.step(), s.last(), s.min(), s.max(), s.nonfinite());
        }
    }

    void create(Context ctx) {
        ctx.status(201).json(new Created(runs.create(ctx.body(), ctx.attribute(Who.ATTRIBUTE)))); // owner: the authenticated caller, if any
    }

    void get(Context ctx) {
        ctx.json(runs.get(ctx.pathParam("id")));
    }

    void stop(Context ctx) {
        String id = ctx.pathParam("id");
        runs.stop(id);
        ctx.status(202).json(new Stopping(id, true));
    }

    void delete(Context ctx) {
        String id = ctx.pathParam("id");
        runs.delete(id);
        ctx.json(new Deleted(id, true));
    }

    void resume(Context ctx) {
        String id = ctx.pathParam("id");
        runs.resume(id);
        ctx.status(202).json(new Resuming(id, true));
    }

    void disk(Context ctx) {
        ctx.json(runs.disk());
    }

    void scalars(Context ctx) {
        String id = ctx.pathParam("id");
        runs.requireRun(id);
        int points = ctx.queryParamAsClass("points", Integer.class).getOrDefault(DEFAULT_POINTS);
        long from = ctx.queryParamAsClass("from", Long.class).getOrDefault(Long.MIN_VALUE);
        long to = ctx.queryParamAsClass("to", Long.class).getOrDefault(Long.MAX_VALUE);
        ctx.json(ScalarsView.of(runs.scalars(id, ctx.queryParam("tag"), points, from, to)));
    }

    void clock(Context ctx) {
        long[][] c = runs.clock(ctx.pathParam("id"), ctx.queryParamAsClass("points", Integer.class).getOrDefault(1000));
        ctx.json(new ClockView(c[0], c[1]));
    }

    void filters(Context ctx) {
        String id = ctx.pathParam("id");
        runs.requireRun(id);
        String step = ctx.queryParam("step");
        Long at = step == null || step.equals("latest") ? null : ctx.queryParamAsClass("step", Long.class).get();
        ctx.json(runs.filters(id, at));
    }

    /** The trainer's own output: text that must never be sniffed into HTML by a browser. */
    void log(Context ctx) {
        String text = runs.log(ctx.pathParam("id"));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(200).contentType("text/plain; charset=utf-8").result(text);
    }

    void alerts(Context ctx) {
        ctx.json(runs.alerts(ctx.pathParam("id")));
    }

    void check(Context ctx) {
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("name");
        runs.startCheck(id, name);
        ctx.status(202).json(new CheckStarted(id, name));
    }
}
