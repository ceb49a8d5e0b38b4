package trainwatch.store;

import java.nio.ByteBuffer;

/**
 * Running summary of a tag's points in step order: count, non-finite count,
 * min/max over finite values (NaN when none), the last value and the first
 * and last step. aux1/aux2 carry the entry's pointers (level 64: byte range of
 * the block's records holding the tag; level 4096: index and count of its
 * level-64 entries).
 */
final class BlockSummary {
    /** Byte offsets inside a LogFormat.ENTRY-sized summary entry (written by write, read by read). */
    static final int AUX1 = 56;
    static final int AUX2 = 64;

    long blockNo;
    long count;
    long nonfinite;
    double min = Double.NaN;
    double max = Double.NaN;
    double last = Double.NaN;
    long firstStep = -1;
    long lastStep = -1;
    long aux1;
    long aux2;

    void addPoint(long step, double v) {
        if (count == 0) firstStep = step;
        count++;
        lastStep = step;
        last = v;
        if (Double.isFinite(v)) {
            if (Double.isNaN(min) || v < min) min = v;
            if (Double.isNaN(max) || v > max) max = v;
        } else {
            nonfinite++;
        }
    }

    /** Merges a summary of later points. */
    void add(BlockSummary o) {
        if (o.count == 0) return;
        if (count == 0) firstStep = o.firstStep;
        count += o.count;
        nonfinite += o.nonfinite;
        if (!Double.isNaN(o.min) && (Double.isNaN(min) || o.min < min)) min = o.min;
        if (!Double.isNaN(o.max) && (Double.isNaN(max) || o.max > max)) max = o.max;
        last = o.last;
        lastStep = o.lastStep;
    }

    void reset() {
        count = 0;
        nonfinite = 0;
        min = max = last = Double.NaN;
        firstStep = lastStep = -1;
        aux1 = aux2 = 0;
    }

    void write(ByteBuffer b) {
        b.putLong(blockNo).putInt((int) count).putInt((int) nonfinite)
                .putDouble(min).putDouble(max).putDouble(last)
                .putLong(firstStep).putLong(lastStep).putLong(aux1).putLong(aux2);
    }

    static BlockSummary read(ByteBuffer b, int at) {
        BlockSummary s = new BlockSummary();
        s.blockNo = b.getLong(at);
        s.count = b.getInt(at + 8) & 0xffffffffL;
        s.nonfinite = b.getInt(at + 12) & 0xffffffffL;
        s.min = b.getDouble(at + 16);
        s.max = b.getDouble(at + 24);
        s.last = b.getDouble(at + 32);
        s.firstStep = b.getLong(at + 40);
        s.lastStep = b.getLong(at + 48);
        s.aux1 = b.getLong(at + AUX1);
        s.aux2 = b.getLong(at + AUX2);
        return s;
    }
}
