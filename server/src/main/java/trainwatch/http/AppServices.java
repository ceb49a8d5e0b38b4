package trainwatch.http;

import java.nio.file.Path;

import trainwatch.auth.AuthService;
import trainwatch.checkpoint.CheckpointStore;
import trainwatch.ensemble.EnsembleService;
import trainwatch.ingest.IngestService;
import trainwatch.live.LiveHub;
import trainwatch.live.RunListFeed;
import trainwatch.metrics.ServerMetrics;
import trainwatch.run.RemoteChecks;
import trainwatch.run.RunService;
import trainwatch.sweep.SweepService;
import trainwatch.team.TeamService;

/**
 * What the web app is built from ({@link HttpApp#create(AppServices)}): the services every server has,
 * and optional ones whose routes answer 404 while they are null. A new service is one more field and
 * setter here, not one more overload of create.
 */
public final class AppServices {
    final String host;
    final int port;
    final Path webDir;
    final RunService runs;
    final LiveHub hub;
    final RunListFeed list;
    final HttpApp.ResponseCounts stats;
    IngestService ingest;
    EnsembleService ensembles;
    SweepService sweeps;
    ServerMetrics metrics;
    AuthService auth;
    TeamService team;
    CheckpointStore checkpoints;
    RemoteChecks remoteChecks = RemoteChecks.NONE;

    /** webDir: a directory to serve at / (dev), or null to serve the jar's web/ resources when present. */
    public AppServices(String host, int port, Path webDir, RunService runs, LiveHub hub, RunListFeed list, HttpApp.ResponseCounts stats) {
        this.host = host;
        this.port = port;
        this.webDir = webDir;
        this.runs = runs;
        this.hub = hub;
        this.list = list;
        this.stats = stats;
    }

    /** The remote-run service behind /api/ingest. */
    public AppServices ingest(IngestService ingest) {
        this.ingest = ingest;
        return this;
    }

    /** The server's copies of remote trainers' checkpoints behind /api/ingest/runs/{id}/checkpoints. */
    public AppServices checkpoints(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
        return this;
    }

    /** The ensemble service behind /api/ensembles. */
    public AppServices ensembles(EnsembleService ensembles) {
        this.ensembles = ensembles;
        return this;
    }

    /** Notes, tags and exports: /api/runs/{id}/notes, /tags, /export. */
    public AppServices team(TeamService team) {
        this.team = team;
        return this;
    }

    /** The server's figures behind /metrics. */
    public AppServices metrics(ServerMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** Checks running elsewhere that report to /api/ingest/runs/{id}/checks/{name} (the kubernetes executor's). */
    public AppServices remoteChecks(RemoteChecks checks) {
        this.remoteChecks = checks;
        return this;
    }

    /** The sweep service behind /api/sweeps. */
    public AppServices sweeps(SweepService sweeps) {
        this.sweeps = sweeps;
        return this;
    }

    /** Tokens, sessions, login throttling and the audit log (docs/auth.md); null = no access control at all (embedding only). */
    public AppServices auth(AuthService auth) {
        this.auth = auth;
        return this;
    }
}
