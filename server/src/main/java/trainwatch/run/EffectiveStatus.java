package trainwatch.run;

import java.io.IOException;
import java.nio.file.Files;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;

/**
 * A run's status as the API shows it. A status.json that cannot be parsed (damaged, edited by
 * hand) reads as {@code failed} with {@link #UNREADABLE} as its reason, so the run stays listed
 * and can be deleted instead of vanishing or answering every request with a conflict.
 */
final class EffectiveStatus {
    static final String UNREADABLE = "unreadable status.json (damaged or edited by hand)";

    private EffectiveStatus() {}

    /** The run's state; throws the store's RunNotFoundException for a run that is gone. */
    static StatusRecord read(RunStore store, String id) {
        try {
            return store.state(id);
        } catch (IllegalStateException e) {
            long when = modifiedMs(store, id);
            return new StatusRecord(RunStatus.FAILED, UNREADABLE, when, 0, when);
        }
    }

    static boolean isUnreadable(StatusRecord s) {
        return s.status() == RunStatus.FAILED && UNREADABLE.equals(s.reason());
    }

    /** When the run directory last changed: the best creation time left when status.json is unreadable. */
    static long modifiedMs(RunStore store, String id) {
        try {
            return Files.getLastModifiedTime(store.dir(id)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
