package trainwatch.run.kubernetes;

import java.io.IOException;
import java.nio.file.Path;

import trainwatch.checkpoint.Retention;
import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;

/** The server's side of resuming a run on Kubernetes: which checkpoint, and the supersede of a run not yet remote. */
final class Resumes {
    private Resumes() {}

    /** A checkpoint the server holds: its zip's name and the step to run next. */
    record Point(String name, long step) {}

    /** The newest resumable checkpoint under runs/&lt;id&gt;/checkpoints (as the trainer's own resume picks it), or null. */
    static Point newest(Path runDir) {
        try {
            return Retention.newest(runDir.resolve("checkpoints")).map(s -> new Point(s.name(), s.step())).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** A run trained here (not remote): the store supersedes steps >= fromStep and the run is queued to resume. */
    static void supersede(RunStore store, String id, long fromStep, long now) {
        store.openForResume(id, fromStep - 1).close();
        store.writeState(id, new StatusRecord(RunStatus.QUEUED, "resume requested", now, 0, store.state(id).createdMs()));
    }
}
