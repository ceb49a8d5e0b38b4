package trainwatch.http;

import java.io.IOException;

import io.javalin.http.Context;

import trainwatch.ensemble.EnsembleService;
import trainwatch.ingest.IngestException;

/**
 * POST /api/ingest/ensembles/{id}/result (docs/api.md "Ensembles"): an evaluation running as a Kubernetes Job
 * reports with its own key (or an editor's token): running, then finished with its result, or failed.
 */
final class EvaluationRoutes {
    /** A result holds the members' figures and a few example images: far below this. */
    static final int MAX_BODY = 16 << 20;

    private final EnsembleService ensembles;

    EvaluationRoutes(EnsembleService ensembles) {
        this.ensembles = ensembles;
    }

    void result(Context ctx) {
        boolean editor = Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED));
        String auth = ctx.header("Authorization");
        ctx.json(ensembles.report(ctx.pathParam("id"), auth, editor, body(ctx, editor, auth)));
    }

    /** Read only once the caller has a key to show (the key itself is checked by the service before the body is parsed). */
    private static byte[] body(Context ctx, boolean editor, String auth) {
        if (!editor && (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7))) return new byte[0];
        try {
            byte[] b = ctx.req().getInputStream().readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) throw IngestException.http(413, "body", "is larger than " + MAX_BODY + " bytes");
            return b;
        } catch (IOException e) {
            throw IngestException.http(400, "body", "could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
