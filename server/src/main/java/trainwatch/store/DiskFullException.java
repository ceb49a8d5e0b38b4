package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A write failed because the file system is full. The store has left its
 * files consistent (a half-written tail is cut back or was never trusted), so
 * the caller can stop cleanly and every record written before stays readable.
 */
public final class DiskFullException extends UncheckedIOException {
    private final transient Path where;
    private final long freeBytes;

    DiskFullException(Path where, long freeBytes, IOException cause) {
        super("disk full: " + freeBytes + " bytes free under " + where, cause);
        this.where = where;
        this.freeBytes = freeBytes;
    }

    /** The directory (or file) whose write failed. */
    public Path where() {
        return where;
    }

    /** Usable bytes left on that file system when the write failed (-1 when unknown). */
    public long freeBytes() {
        return freeBytes;
    }
}
