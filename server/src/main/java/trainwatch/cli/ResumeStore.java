package trainwatch.cli;

import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * The one place a resumed trainer opens its run for writing, so the store's way of superseding the steps after the
 * checkpoint can change behind it. Today: {@link RunStore#openWriterForResume} cuts the log at the first record of
 * step >= fromStep and keeps seq increasing (a no-op for a run with no records yet).
 */
final class ResumeStore {
    private ResumeStore() {}

    static RunWriter open(RunStore store, String id, long fromStep) {
        return store.openWriterForResume(id, fromStep);
    }
}
