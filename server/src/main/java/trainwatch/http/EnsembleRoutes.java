package trainwatch.http;

import io.javalin.http.Context;

import trainwatch.ensemble.EnsembleService;
import trainwatch.ensemble.EnsembleViews;

/** /api/ensembles: parse, call the ensemble service, answer its record (errors are mapped in HttpApp). */
final class EnsembleRoutes {
    private final EnsembleService ensembles;

    EnsembleRoutes(EnsembleService ensembles) {
        this.ensembles = ensembles;
    }

    void create(Context ctx) {
        ctx.status(201).json(ensembles.create(ctx.body()));
    }

    void list(Context ctx) {
        ctx.json(ensembles.list());
    }

    void get(Context ctx) {
        ctx.json(ensembles.get(ctx.pathParam("id")));
    }

    void delete(Context ctx) {
        String id = ctx.pathParam("id");
        ensembles.delete(id);
        ctx.json(new EnsembleViews.Deleted(id, true));
    }

    /** The evaluation process's own output: plain text, never sniffed into HTML. */
    void log(Context ctx) {
        String text = ensembles.log(ctx.pathParam("id"));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(200).contentType("text/plain; charset=utf-8").result(text);
    }
}
