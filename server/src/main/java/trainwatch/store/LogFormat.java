package trainwatch.store;

import java.nio.ByteBuffer;

/** Byte layout of events.log and its side files (docs/run-format.md). All numbers little-endian. */
final class LogFormat {
    /** File header: identifies the format version. */
    static final byte[] MAGIC = {'T', 'W', 'L', 'O', 'G', '1', '\r', '\n'};
    static final int HEADER = MAGIC.length;
    /** [u32 payload length][u32 CRC32C of payload]. */
    static final int FRAME = 8;
    /** Records are small (filter floats live in their own files); anything larger is corruption. */
    static final int MAX_PAYLOAD = 16 << 20;

    static final byte TAG_DEF = 1;
    static final byte SCALARS = 2;
    static final byte FILTER = 3;
    static final byte STATUS = 4;
    static final byte ALERT = 5;
    static final byte CHECK = 6;
    /** A resume from a checkpoint: i64 seq, i64 wallMs, i64 fromStep (records of steps >= fromStep before it were cut). */
    static final byte RESUME = 7;

    /** Summary blocks: 64 steps (level 1) and 64 * 64 = 4096 steps (level 2). */
    static final int BLOCK_SHIFT = 6;
    static final int GROUP_SHIFT = 12;
    /** One summary entry: blockNo, count, nonfinite, min, max, last, firstStep, lastStep, aux1, aux2. */
    static final int ENTRY = 72;
    /** One block-index entry: blockNo, offset of the block's first record, its seq. */
    static final int INDEX_ENTRY = 24;

    private LogFormat() {}

    static boolean knownType(int t) {
        return t >= TAG_DEF && t <= RESUME;
    }

    /** Payload type of the record at pos. */
    static int type(ByteBuffer b, int pos) {
        return b.get(pos);
    }

    /** Every record but a tag definition starts with its type, then its i64 seq. */
    static boolean hasSeq(ByteBuffer b, int pos) {
        return b.get(pos) != TAG_DEF;
    }

    static long seq(ByteBuffer b, int pos) {
        return b.getLong(pos + 1);
    }
}
