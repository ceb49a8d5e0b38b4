package trainwatch.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.javalin.http.Context;

import trainwatch.checkpoint.CheckpointException;
import trainwatch.checkpoint.CheckpointName;
import trainwatch.checkpoint.CheckpointStore;
import trainwatch.ensemble.EnsembleService;
import trainwatch.ingest.IngestException;
import trainwatch.ingest.IngestService;

/**
 * PUT and GET /api/ingest/runs/{id}/checkpoints/{name} (docs/api.md "Checkpoints over HTTP"): a trainer elsewhere
 * (a Kubernetes pod, `train --remote`) sends each checkpoint it keeps, and a resumed trainer or an ensemble
 * evaluation reads them back. The key (or role) is checked before the name and before the body is read.
 */
final class CheckpointRoutes {
    private final IngestService ingest;
    private final CheckpointStore checkpoints;
    /** Ensemble evaluations elsewhere read their members' checkpoints with their own key (null: no ensembles). */
    private final EnsembleService ensembles;

    CheckpointRoutes(IngestService ingest, CheckpointStore checkpoints, EnsembleService ensembles) {
        this.ingest = ingest;
        this.checkpoints = checkpoints;
        this.ensembles = ensembles;
    }

    /** An editor, or the run's own ingest key; the run must be a remote one (the server is its writer). */
    void put(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED))) ingest.authorizeKey(id, ctx.header("Authorization"));
        else if (!ingest.owns(id)) throw IngestException.http(404, "", "run " + id + " is not a remote run: its trainer keeps its own checkpoints");
        String type = ctx.header("Content-Type");
        if (type == null || !type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream"))
            throw IngestException.http(415, "Content-Type", "must be application/octet-stream (got " + (type == null ? "none" : type) + ")");
        String enc = ctx.header("Content-Encoding");
        if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity"))
            throw IngestException.http(415, "Content-Encoding", "must be none for a checkpoint (a zip is compressed already)");
        try (InputStream in = ctx.req().getInputStream()) {
            ctx.json(checkpoints.put(id, ctx.pathParam("name"), ctx.req().getContentLengthLong(), in));
        } catch (CheckpointException e) {
            throw refused(e);
        } catch (IOException e) {
            throw IngestException.http(400, "body", "could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A viewer, the run's own ingest key, or the key of an ensemble evaluation that has the run as a member. */
    void get(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED))) {
            String auth = ctx.header("Authorization");
            boolean evaluation = ensembles != null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    && ensembles.evaluationReads(auth.substring(7).trim(), id);
            if (!evaluation) ingest.authorizeKey(id, auth);
        }
        String name = ctx.pathParam("name");
        Path file;
        try {
            file = checkpoints.get(id, name);
        } catch (CheckpointException e) {
            throw refused(e);
        }
        try {
            InputStream in = Files.newInputStream(file); // a prune after this point cannot take the open file away
            ctx.contentType(CheckpointName.isMeta(name) ? "application/json" : "application/octet-stream");
            ctx.result(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw IngestException.http(404, "name", "run " + id + " has no checkpoint file " + name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IngestException refused(CheckpointException e) {
        return IngestException.http(e.status(), e.field(), e.getMessage());
    }
}
