package trainwatch.store;

import java.io.IOException;
import java.time.Clock;

/**
 * How a writer comes to be: take the trainer lock, finish a resume a crash
 * interrupted, recover; or, for a resume, cut the superseded records first
 * (the steps and why they are crash-safe: ResumeCut, docs/run-format.md).
 */
final class WriterOpening {
    private WriterOpening() {}

    /** Takes the trainer lock and recovers the run (finishing a resume a crash interrupted). */
    static FileRunWriter open(String id, RunPaths paths, Clock clock, FileOps ops) {
        TrainerLock lock = TrainerLock.acquire(paths.lock(), id);
        try {
            return finishResume(id, paths, clock, ops, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens the run to continue it from a checkpoint taken after step
     * {@code lastKeptStep}: every record of a later step is cut from the log
     * (and its filter snapshot deleted), the summaries are rebuilt, and a RESUME
     * record (from_step = lastKeptStep + 1) is appended with the old run's
     * highest seq + 1, so seq keeps increasing. Crash-safe: see ResumeCut.
     */
    static FileRunWriter openForResume(String id, RunPaths paths, Clock clock, FileOps ops, long lastKeptStep) {
        if (lastKeptStep < -1) throw new IllegalArgumentException("lastKeptStep must be >= -1, got " + lastKeptStep);
        TrainerLock lock = TrainerLock.acquire(paths.lock(), id);
        try {
            FileRunWriter w = finishResume(id, paths, clock, ops, lock);
            long cutAt;
            try {
                cutAt = w.cutAfter(lastKeptStep);
            } catch (RuntimeException e) {
                w.closeFiles();
                throw e;
            }
            long seq = w.nextSeq();
            w.closeFiles();
            new ResumeCut(cutAt, lastKeptStep + 1, seq).save(paths, ops);
            return finishResume(id, paths, clock, ops, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens the files; when a resume is pending, cuts the log first and appends its RESUME record after recovery. */
    private static FileRunWriter finishResume(String id, RunPaths paths, Clock clock, FileOps ops, TrainerLock lock) {
        ResumeCut pending = ResumeCut.read(paths);
        if (pending != null) pending.cut(paths, ops);
        FileRunWriter w;
        try {
            w = new FileRunWriter(id, paths, clock, ops, lock);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, paths.log(), ops);
        }
        if (pending == null) return w;
        try {
            w.appendResume(pending);
            ResumeCut.clear(paths, ops);
            return w;
        } catch (RuntimeException e) {
            w.closeFiles();
            throw e;
        }
    }

}
