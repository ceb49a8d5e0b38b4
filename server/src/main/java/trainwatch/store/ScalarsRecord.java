package trainwatch.store;

import java.nio.ByteBuffer;

/**
 * The scalars record (type 2), described once: {@code u8 type, i64 seq, i64
 * step, i64 wallMs, u16 n}, then n x ({@code u16 tagId, f64 value}). A reusable
 * view over a payload (no allocation per record: it is read on every hot path,
 * the writer, recovery, the reader's follower and raw block reads) plus the
 * one encoder.
 */
final class ScalarsRecord {
    private static final int SEQ = 1;
    private static final int STEP = 9;
    private static final int WALL = 17;
    private static final int COUNT = 25;
    /** Bytes before the first (tagId, value) pair. */
    static final int HEAD = 27;
    /** Bytes per (tagId, value) pair. */
    static final int PAIR = 10;

    private ByteBuffer b;
    private int pos;
    private int len;

    /** Views the payload b[pos, pos + len); the caller checked the type. */
    ScalarsRecord wrap(ByteBuffer b, int pos, int len) {
        this.b = b;
        this.pos = pos;
        this.len = len;
        return this;
    }

    static boolean is(ByteBuffer b, int pos) {
        return b.get(pos) == LogFormat.SCALARS;
    }

    /** Payload bytes of a record with n values. */
    static int size(int n) {
        return HEAD + PAIR * n;
    }

    /** The length matches the count: pairs may be read. */
    boolean wellFormed() {
        return len >= HEAD && len == size(count());
    }

    long seq() {
        return b.getLong(pos + SEQ);
    }

    long step() {
        return b.getLong(pos + STEP);
    }

    long wallMs() {
        return b.getLong(pos + WALL);
    }

    int count() {
        return b.getShort(pos + COUNT) & 0xffff;
    }

    int tagId(int i) {
        return b.getShort(pos + HEAD + PAIR * i) & 0xffff;
    }

    double value(int i) {
        return b.getDouble(pos + HEAD + PAIR * i + 2);
    }

    /** Index of the pair holding tag {@code tid}, or -1. */
    int indexOf(int tid) {
        for (int i = 0, n = count(); i < n; i++) if (tagId(i) == tid) return i;
        return -1;
    }

    /** Appends the payload (size(n) bytes) at out's position. */
    static void encode(ByteBuffer out, long seq, long step, long wallMs, int[] ids, double[] values, int n) {
        out.put(LogFormat.SCALARS).putLong(seq).putLong(step).putLong(wallMs).putShort((short) n);
        for (int i = 0; i < n; i++) out.putShort((short) ids[i]).putDouble(values[i]);
    }
}
