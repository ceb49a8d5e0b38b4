package trainwatch.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

/**
 * Every record payload (docs/run-format.md) in both directions: the encoders
 * the writer uses and the decoder readers use, so each layout is written down
 * once (the scalars record's own bytes live in ScalarsRecord).
 */
final class RecordCodec {
    /** A tag definition record: tag id -> name. Not an event; readers keep it in their dictionary. */
    record TagDef(int id, String name) {}

    /** A payload that passed its CRC but does not decode (unknown tag id, bad string length). */
    static final class Undecodable extends RuntimeException {
        Undecodable(String msg) {
            super(msg);
        }
    }

    /** FILTER: type, seq, step, wallMs, 4 x i32 shape. */
    static final int FILTER_SIZE = 1 + 8 * 3 + 4 * 4;
    /** RESUME: type, seq, wallMs, fromStep. */
    static final int RESUME_SIZE = 1 + 8 * 3;

    private RecordCodec() {}

    // ---- encoders: each appends one payload at out's position; the sizes tell the writer how much room to take

    static int tagDefSize(byte[] utf8Name) {
        return 3 + utf8Name.length;
    }

    static void encodeTagDef(ByteBuffer out, int id, byte[] utf8Name) {
        out.put(LogFormat.TAG_DEF).putShort((short) id).put(utf8Name);
    }

    static void encodeFilter(ByteBuffer out, long seq, long step, long wallMs, int[] shape) {
        out.put(LogFormat.FILTER).putLong(seq).putLong(step).putLong(wallMs);
        for (int d : shape) out.putInt(d);
    }

    static void encodeResume(ByteBuffer out, long seq, long wallMs, long fromStep) {
        out.put(LogFormat.RESUME).putLong(seq).putLong(wallMs).putLong(fromStep);
    }

    /** STATUS, ALERT (which also carries a step) and CHECK: seq, [step,] wallMs, then [u32 length][UTF-8] strings. */
    static int textSize(byte type, byte[][] utf8) {
        int size = 1 + 8 + 8 + (type == LogFormat.ALERT ? 8 : 0);
        for (byte[] s : utf8) size += 4 + s.length;
        return size;
    }

    static void encodeText(ByteBuffer out, byte type, long seq, long step, long wallMs, byte[][] utf8) {
        out.put(type).putLong(seq);
        if (type == LogFormat.ALERT) out.putLong(step);
        out.putLong(wallMs);
        for (byte[] s : utf8) out.putInt(s.length).put(s);
    }

    // ---- decoder

    /** The tag definition at pos (type TAG_DEF). */
    static TagDef tagDef(ByteBuffer b, int pos, int len) {
        int id = b.getShort(pos + 1) & 0xffff;
        return new TagDef(id, new String(b.array(), b.arrayOffset() + pos + 3, len - 3, StandardCharsets.UTF_8));
    }

    /** The training step a record is about (scalars, filter notice, alert), else Long.MIN_VALUE. */
    static long stepOf(ByteBuffer b, int pos, int len) {
        switch (b.get(pos)) {
            case LogFormat.SCALARS:
                return new ScalarsRecord().wrap(b, pos, len).step();
            case LogFormat.FILTER:
            case LogFormat.ALERT:
                return b.getLong(pos + 1 + 8);
            default:
                return Long.MIN_VALUE;
        }
    }

    /** Returns a TagDef, a Resumed or a RunEvent; throws Undecodable. */
    static Object decode(ByteBuffer b, int p, int len, IntFunction<String> tagName) {
        try {
            int end = p + len;
            int type = b.get(p);
            int at = p + 1;
            switch (type) {
                case LogFormat.TAG_DEF:
                    return tagDef(b, p, len);
                case LogFormat.SCALARS:
                    return scalars(new ScalarsRecord().wrap(b, p, len), tagName);
                case LogFormat.FILTER: {
                    long seq = b.getLong(at), step = b.getLong(at + 8), wall = b.getLong(at + 16);
                    int[] shape = {b.getInt(at + 24), b.getInt(at + 28), b.getInt(at + 32), b.getInt(at + 36)};
                    return new FilterSnapshot(seq, step, wall, shape, null);
                }
                case LogFormat.STATUS: {
                    long seq = b.getLong(at), wall = b.getLong(at + 8);
                    Strings s = new Strings(b, at + 16, end);
                    return new StatusChange(seq, wall, RunStatus.fromWire(s.next()), s.next());
                }
                case LogFormat.ALERT: {
                    long seq = b.getLong(at), step = b.getLong(at + 8), wall = b.getLong(at + 16);
                    Strings s = new Strings(b, at + 24, end);
                    return new Alert(seq, step, wall, s.next(), s.next(), s.next(), s.next());
                }
                case LogFormat.CHECK: {
                    long seq = b.getLong(at), wall = b.getLong(at + 8);
                    Strings s = new Strings(b, at + 16, end);
                    return new CheckResult(seq, wall, s.next(), s.next(), s.next(), s.next());
                }
                case LogFormat.RESUME:
                    if (len != RESUME_SIZE) throw new Undecodable("resume record has a wrong length");
                    return new Resumed(b.getLong(at), b.getLong(at + 8), b.getLong(at + 16));
                default:
                    throw new Undecodable("unknown record type " + type);
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new Undecodable("undecodable record: " + e.getMessage());
        }
    }

    private static Scalars scalars(ScalarsRecord r, IntFunction<String> tagName) {
        if (!r.wellFormed()) throw new Undecodable("scalars record length does not match its " + r.count() + " values");
        int n = r.count();
        String[] tags = new String[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            String name = tagName.apply(r.tagId(i));
            if (name == null) throw new Undecodable("scalars record uses undefined tag id " + r.tagId(i));
            tags[i] = name;
            values[i] = r.value(i);
        }
        return new Scalars(r.seq(), r.step(), r.wallMs(), tags, values);
    }

    /** Reads consecutive [u32 length][utf8] strings, never past the payload end. */
    private static final class Strings {
        private final ByteBuffer b;
        private final int end;
        private int at;

        Strings(ByteBuffer b, int at, int end) {
            this.b = b;
            this.at = at;
            this.end = end;
        }

        String next() {
            int n = b.getInt(at);
            if (n < 0 || at + 4L + n > end) throw new Undecodable("string runs past the record end");
            String s = new String(b.array(), b.arrayOffset() + at + 4, n, StandardCharsets.UTF_8);
            at += 4 + n;
            return s;
        }
    }
}
