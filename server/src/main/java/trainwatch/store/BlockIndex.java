package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/** index/blocks.bin: (i64 blockNo, i64 offset, i64 seq) entries, offsets increasing; written and read only here. */
final class BlockIndex {
    private static final int OFFSET = 8;
    private static final int SEQ = 16;

    private BlockIndex() {}

    static void append(SideOut index, long blockNo, long offset, long seq) {
        index.room(LogFormat.INDEX_ENTRY).putLong(blockNo).putLong(offset).putLong(seq);
    }

    static long entries(FileChannel index) {
        try {
            return index == null ? 0 : index.size() / LogFormat.INDEX_ENTRY;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long blockNo(FileChannel index, long i) {
        return Recovery.readLong(index, i * LogFormat.INDEX_ENTRY);
    }

    static long offset(FileChannel index, long i) {
        return Recovery.readLong(index, i * LogFormat.INDEX_ENTRY + OFFSET);
    }

    static long seq(FileChannel index, long i) {
        return Recovery.readLong(index, i * LogFormat.INDEX_ENTRY + SEQ);
    }

    /** Number of leading entries whose offset is below {@code end} (binary search). */
    static long countBelow(FileChannel index, long end) {
        long lo = 0, hi = entries(index);
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (offset(index, mid) < end) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * The newest entry (below the log's size) that points at a valid scalars
     * frame, or -1: where reading can start with summaries covering everything before.
     */
    static long lastValid(FileChannel index, FrameReader frames, long size) {
        long n = countBelow(index, size);
        for (long i = n - 1; i >= 0 && i >= n - 64; i--) {
            long off = offset(index, i);
            if (off >= LogFormat.HEADER && frames.validAt(off, size) && frames.typeAt(off) == LogFormat.SCALARS) return i;
        }
        return -1;
    }
}
