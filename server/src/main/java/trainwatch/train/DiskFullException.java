package trainwatch.train;

import java.nio.file.Path;

import trainwatch.store.DiskSpace;

/** Free space under the runs directory fell below {@link DiskSpace#STOP_BELOW}: the run stops before a write fails. */
final class DiskFullException extends RuntimeException {
    DiskFullException(long free, Path root) {
        super(DiskSpace.fullReason(free, root), null, false, false);
    }
}
