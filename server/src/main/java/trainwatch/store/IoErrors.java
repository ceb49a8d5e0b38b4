package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Turns a write's IOException into the store's unchecked exceptions, a full disk into DiskFullException. */
final class IoErrors {
    private IoErrors() {}

    static UncheckedIOException unchecked(IOException e, Path file, FileOps ops) {
        if (!isDiskFull(e)) return new UncheckedIOException(e);
        Path dir = file.getParent() != null ? file.getParent() : file;
        long free;
        try {
            free = ops.usableSpace(dir);
        } catch (IOException | RuntimeException ignored) {
            free = -1;
        }
        return new DiskFullException(dir, free, e);
    }

    /** ENOSPC and EDQUOT, as the JDK words them (it has no typed exception for either). */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }
}
