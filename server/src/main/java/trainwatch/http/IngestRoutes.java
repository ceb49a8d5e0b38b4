package trainwatch.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

import trainwatch.ingest.IngestException;
import trainwatch.ingest.IngestService;
import trainwatch.json.Json;

/**
 * POST /api/ingest/runs and POST /api/ingest/runs/{id}/records (docs/api.md "Ingest"): read the
 * body (gzip accepted, bounded), call the ingest service, answer. The key is checked before the
 * body is read.
 */
final class IngestRoutes {
    private final IngestService ingest;

    IngestRoutes(IngestService ingest) {
        this.ingest = ingest;
    }

    /** A refused batch: the error shape of every route, plus {@code expected} on a seq gap. */
    record SeqConflict(String error, List<ErrorBodies.FieldMessage> errors, long expected) {}

    void create(Context ctx) {
        ctx.status(201).json(ingest.create(body(ctx), ctx.ip(), ctx.attribute(Who.ATTRIBUTE)));
    }

    void records(Context ctx) {
        boolean editor = Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED)); // an editor's token, not the run's key
        ctx.json(ingest.append(ctx.pathParam("id"), ctx.header("Authorization"), editor, () -> body(ctx)));
    }

    /** GET /api/ingest/runs/{id}/config: {"config": {...}} for the run's own key (or an editor). */
    record RunConfig(JsonNode config) {}

    void config(Context ctx) {
        boolean editor = Boolean.TRUE.equals(ctx.attribute(AuthGuard.INGEST_TRUSTED));
        ctx.json(new RunConfig(ingest.config(ctx.pathParam("id"), ctx.header("Authorization"), editor)));
    }

    static String errorBody(IngestException e) {
        ErrorBodies.ErrorBody b = ErrorBodies.body(e.problems());
        if (e.expected() == null) return Json.write(b);
        return Json.write(new SeqConflict(b.error(), b.errors(), e.expected()));
    }

    /** The request body, inflated when gzip, refused with 413 past the limit (read as a stream: Javalin's own cap is for the other routes). */
    private byte[] body(Context ctx) {
        int max = ingest.limits().maxBodyBytes();
        String enc = ctx.header("Content-Encoding");
        try {
            InputStream in = ctx.req().getInputStream();
            if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) {
                if (!enc.trim().toLowerCase(Locale.ROOT).equals("gzip"))
                    throw failure(415, "Content-Encoding", "must be gzip or none (got " + enc + ")");
                in = new GZIPInputStream(in, 64 * 1024);
            }
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) throw failure(413, "body", "is larger than " + max + " bytes (after gzip is undone): split the batch");
            return b;
        } catch (ZipException e) {
            throw failure(400, "body", "is not valid gzip");
        } catch (java.io.EOFException e) {
            throw failure(400, "body", "ended early (a truncated request or gzip stream)");
        } catch (IOException e) {
            throw failure(400, "body", "could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static IngestException failure(int status, String field, String message) {
        return IngestException.http(status, field, message);
    }
}
