package trainwatch.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import trainwatch.store.DiskSpace;

/**
 * Bytes used by runs (a walk of their files) and free under runs/, with the thresholds of {@link DiskSpace}.
 * Walking a run directory of a long experiment costs milliseconds, so sizes are cached for a few seconds: the
 * pages poll, and a figure seconds old is as good as a fresh one.
 */
final class DiskUse {
    static final long CACHE_MS = 5_000;

    private final Path root;
    private final LongSupplier clock;
    private volatile DiskSpace.Probe probe;
    private final Map<Path, long[]> sizes = new ConcurrentHashMap<>(); // path -> {bytes, measuredMs}

    DiskUse(Path root, DiskSpace.Probe probe, LongSupplier clock) {
        this.root = root;
        this.probe = probe;
        this.clock = clock;
    }

    void probe(DiskSpace.Probe p) {
        this.probe = p;
    }

    DiskSpace.Probe probe() {
        return probe;
    }

    long free() {
        return probe.freeBytes(root);
    }

    long bytes(Path dir) {
        long now = clock.getAsLong();
        long[] c = sizes.get(dir);
        if (c != null && now - c[1] < CACHE_MS) return c[0];
        long b = DiskSpace.usedBytes(dir);
        sizes.put(dir, new long[] {b, now});
        return b;
    }

    void forget(Path dir) {
        sizes.remove(dir);
    }

    /** Refuses (507) to start or resume a run when less than {@link DiskSpace#REFUSE_BELOW} is free under runs/. */
    void requireRoom(String what) {
        long free = free();
        if (free >= 0 && free < DiskSpace.REFUSE_BELOW)
            throw RunException.insufficientStorage(DiskSpace.fullReason(free, root) + ": " + what + " needs at least "
                    + (DiskSpace.REFUSE_BELOW >> 20) + " MB free; delete old runs or free space, then try again");
    }

    /** GET /api/disk. */
    public record View(long runsBytes, long freeBytes, long totalBytes, boolean low, long warnBelowBytes, long refuseBelowBytes) {}

    View view() {
        long free = free();
        long total = probe.totalBytes(root);
        boolean low = free >= 0 && (free < DiskSpace.WARN_BELOW || (total > 0 && free < total * DiskSpace.WARN_FRACTION));
        return new View(bytes(root), free, total, low, DiskSpace.WARN_BELOW, DiskSpace.REFUSE_BELOW);
    }
}
