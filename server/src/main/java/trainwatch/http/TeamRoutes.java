package trainwatch.http;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;

import trainwatch.team.TeamService;

/** Notes, tags and the export of a run (docs/api.md "Notes, tags and export"). */
final class TeamRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TeamRoutes.class);

    private final TeamService team;

    TeamRoutes(TeamService team) {
        this.team = team;
    }

    void notes(Context ctx) {
        ctx.json(team.notes(ctx.pathParam("id")));
    }

    void addNote(Context ctx) {
        ctx.status(201).json(team.addNote(ctx.pathParam("id"), ctx.body(), Who.of(ctx)));
    }

    void tags(Context ctx) {
        ctx.json(team.tags(ctx.pathParam("id")));
    }

    void changeTags(Context ctx) {
        ctx.json(team.changeTags(ctx.pathParam("id"), ctx.body()));
    }

    /** Streamed straight from the run's log to the socket: a 1,000,000-step run costs the server a batch of records. */
    void export(Context ctx) {
        try (TeamService.Download d = team.export(ctx.pathParam("id"), ctx.queryParam("format"), ctx.queryParam("tag"))) {
            ctx.status(200).contentType(d.contentType);
            ctx.header("Content-Disposition", "attachment; filename=\"" + d.filename + "\"");
            ctx.header("X-Content-Type-Options", "nosniff");
            Writer w = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
            d.writeTo(w);
            w.flush();
        } catch (IOException e) {
            // the client went away mid-download (or the log could not be read): the response has begun, nothing to answer
            LOG.info("export of run {} ended early: {}", ctx.pathParam("id"), e.toString());
        }
    }
}
