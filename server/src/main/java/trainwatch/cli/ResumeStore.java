package trainwatch.cli;

import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * The one place a resumed trainer opens its run for writing: the store supersedes the records of steps >= fromStep
 * (a RESUME record, seq continuing above the highest one) before the trainer appends step fromStep again.
 */
final class ResumeStore {
    private ResumeStore() {}

    static RunWriter open(RunStore store, String id, long fromStep) {
        return store.openForResume(id, fromStep - 1);
    }
}
