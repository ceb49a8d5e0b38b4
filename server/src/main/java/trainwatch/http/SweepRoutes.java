package trainwatch.http;

import java.util.List;

import io.javalin.http.Context;

import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepView;

/**
 * The sweep REST handlers (docs/sweeps.md, docs/api.md): parse the request, call the sweep
 * service, answer with its records through the one JSON mapper. The service's RunExceptions
 * carry their status (400 naming the field, 404, 409) and are mapped in HttpApp.
 */
final class SweepRoutes {
    private final SweepService sweeps;

    SweepRoutes(SweepService sweeps) {
        this.sweeps = sweeps;
    }

    /** GET /api/sweeps. */
    record SweepList(List<SweepView> sweeps) {}

    void create(Context ctx) {
        ctx.status(201).json(sweeps.create(ctx.body(), ctx.attribute(Who.ATTRIBUTE))); // owner: the authenticated caller, if any
    }

    void list(Context ctx) {
        ctx.json(new SweepList(sweeps.list()));
    }

    void get(Context ctx) {
        ctx.json(sweeps.get(ctx.pathParam("id")));
    }

    void stop(Context ctx) {
        ctx.status(202).json(sweeps.stop(ctx.pathParam("id")));
    }

    void refine(Context ctx) {
        ctx.status(201).json(sweeps.refine(ctx.pathParam("id"), ctx.body()));
    }

    /** ?runs=true also deletes the trial runs; anything but true/false is a 400 naming "runs". */
    void delete(Context ctx) {
        String runs = ctx.queryParam("runs");
        if (runs != null && !runs.equals("true") && !runs.equals("false")) {
            throw trainwatch.run.RunException.invalid("runs", "must be true or false (got " + Clip.of(runs) + ")");
        }
        ctx.json(sweeps.delete(ctx.pathParam("id"), "true".equals(runs)));
    }
}
