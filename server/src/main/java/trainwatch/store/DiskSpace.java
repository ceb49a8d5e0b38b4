package trainwatch.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space under the runs directory, and the thresholds that act on it
 * (docs/api.md "Disk space"): a new run is refused below {@link #REFUSE_BELOW};
 * a running trainer stops cleanly below {@link #STOP_BELOW} (lower, so runs
 * already going are not stopped just because new ones are refused); the
 * dashboard warns below {@link #WARN_BELOW} or {@link #WARN_FRACTION} of the
 * disk. The probe is an interface so tests can fill a disk without filling one.
 */
public final class DiskSpace {
    public static final long REFUSE_BELOW = 64L << 20;
    public static final long STOP_BELOW = 16L << 20;
    public static final long WARN_BELOW = 1L << 30;
    public static final double WARN_FRACTION = 0.05;

    /** Bytes usable under a directory; -1 when that cannot be told (then nothing is refused or stopped). */
    public interface Probe {
        long freeBytes(Path dir);

        default long totalBytes(Path dir) {
            return -1;
        }
    }

    public static final Probe SYSTEM = new Probe() {
        @Override
        public long freeBytes(Path dir) {
            try {
                return Files.getFileStore(existing(dir)).getUsableSpace();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public long totalBytes(Path dir) {
            try {
                return Files.getFileStore(existing(dir)).getTotalSpace();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    };

    private DiskSpace() {}

    /** The one-line reason a run stops or is refused for: "disk full: N bytes free under runs/". */
    public static String fullReason(long free, Path root) {
        String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
        return "disk full: " + free + " bytes free under " + name + "/";
    }

    /** True when an exception (or one of its causes) is the OS saying the disk is full. */
    public static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (c instanceof IOException && m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
            if (c.getClass().getSimpleName().equals("DiskFullException")) return true;
        }
        return false;
    }

    /** Bytes used by every regular file under a directory (0 when it does not exist); files vanishing meanwhile are skipped. */
    public static long usedBytes(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        long[] sum = {0};
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                    if (a.isRegularFile()) sum[0] += a.size();
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return sum[0];
        }
        return sum[0];
    }

    private static Path existing(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        return p == null ? dir : p;
    }
}
