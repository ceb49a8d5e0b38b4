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

/** Decodes record payloads (docs/run-format.md) into events. */
final class RecordCodec {
    /** A tag definition record: tag id -> name. Not an event; readers keep it in their dictionary. */
    record TagDef(int id, String name) {}

    /** A payload that passed its CRC but does not decode (unknown tag id, bad string length). */
    static final class Undecodable extends RuntimeException {
        Undecodable(String msg) {
            super(msg);
        }
    }

    private RecordCodec() {}

    /** Returns a TagDef or a RunEvent; throws Undecodable. */
    static Object decode(ByteBuffer b, int p, int len, IntFunction<String> tagName) {
        try {
            int end = p + len;
            int type = b.get(p);
            int at = p + 1;
            switch (type) {
                case LogFormat.TAG_DEF: {
                    int id = b.getShort(at) & 0xffff;
                    String name = new String(b.array(), b.arrayOffset() + at + 2, end - at - 2, StandardCharsets.UTF_8);
                    return new TagDef(id, name);
                }
                case LogFormat.SCALARS: {
                    long seq = b.getLong(at), step = b.getLong(at + 8), wall = b.getLong(at + 16);
                    int n = b.getShort(at + 24) & 0xffff;
                    at += 26;
                    if (at + 10L * n != end) throw new Undecodable("scalars record length does not match its " + n + " values");
                    String[] tags = new String[n];
                    double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        int id = b.getShort(at) & 0xffff;
                        String name = tagName.apply(id);
                        if (name == null) throw new Undecodable("scalars record uses undefined tag id " + id);
                        tags[i] = name;
                        values[i] = b.getDouble(at + 2);
                        at += 10;
                    }
                    return new Scalars(seq, step, wall, tags, values);
                }
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
                default:
                    throw new Undecodable("unknown record type " + type);
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new Undecodable("undecodable record: " + e.getMessage());
        }
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
