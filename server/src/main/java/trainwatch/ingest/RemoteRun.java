package trainwatch.ingest;

import java.nio.file.Path;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;
import trainwatch.store.StopRequest;

/** What the ingest service keeps in memory about one remote run; guarded by the object's own lock. */
final class RemoteRun {
    final String id;
    final Path dir;
    IngestFile file;
    /** Open while the trainer sends (the server holds the run's trainer lock); null after a final status or a silence. */
    RunWriter writer;
    /** The client seq expected next. */
    long next;
    /** The log's last seq (records appended by this service move it). */
    long lastSeq;
    /** The last stored scalars step, -1 before any. */
    long lastStep;
    RunStatus status;
    long heardMs;
    boolean initialLossJudged;
    volatile boolean stopRequested;
    /** The status a stop asks for (stop.json: survives a restart); null when no stop was asked for. */
    StopRequest stopAs;
    /** The launched trainer's alerts, computed on what this run sends. */
    ServerAlerts alerts;

    RemoteRun(String id, Path dir) {
        this.id = id;
        this.dir = dir;
    }
}
