package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads [u32 length][u32 CRC32C][payload] frames from a log through a window
 * buffer. Only frames whose CRC checks are handed out. A bad frame followed by
 * a valid one is corruption: it is reported and skipped (resynchronisation);
 * a bad or incomplete frame with nothing valid after it is a torn tail or a
 * record still being written: the scan stops there quietly.
 */
final class FrameReader {
    /** Receives one valid frame: its payload is buf[pos, pos + len). Return false to stop before the next frame. */
    interface Visitor {
        boolean frame(long offset, ByteBuffer buf, int pos, int len);
    }

    private static final int INCOMPLETE = -1;
    private static final int BAD = -2;

    private final FileChannel ch;
    private final CRC32C crc = new CRC32C();
    private final int capacity;
    private ByteBuffer win;
    private long winStart;
    private int winLen;

    /** The window starts this small and grows (doubling, up to capacity) only while reads want more: a reader that
     * tails a live run a few KB at a time (a thousand of them in a busy server) keeps 16 KB, not 1 MB. */
    static final int INITIAL = 16 * 1024;

    FrameReader(FileChannel ch, int capacity) {
        this.ch = ch;
        this.capacity = capacity;
        this.win = ByteBuffer.allocate(Math.min(capacity, INITIAL)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Visits valid frames in [from, limit). Returns the position after the last
     * frame handed out (or where a torn tail starts). Corrupt stretches that
     * valid frames follow are added to {@code problems}.
     */
    long scan(long from, long limit, Visitor v, List<String> problems) {
        invalidate(); // bytes past a torn tail may have been rewritten since the last read
        long pos = from;
        while (pos < limit) {
            int len = check(pos, limit);
            if (len >= 0) {
                if (!v.frame(pos, win, (int) (pos - winStart) + LogFormat.FRAME, len)) return pos;
                pos += LogFormat.FRAME + len;
                continue;
            }
            long next = resync(pos, limit);
            if (next < 0) return pos;
            if (problems != null)
                problems.add("corrupt record at byte " + pos + " of events.log: skipped " + (next - pos) + " bytes");
            pos = next;
        }
        return pos;
    }

    /** Hands the valid frame at pos to v; false when none starts there. */
    boolean visitOne(long pos, long limit, Visitor v) {
        invalidate();
        int len = check(pos, limit);
        if (len < 0) return false;
        v.frame(pos, win, (int) (pos - winStart) + LogFormat.FRAME, len);
        return true;
    }

    /** True when a complete valid frame starts at pos (and ends by limit). */
    boolean validAt(long pos, long limit) {
        invalidate();
        return check(pos, limit) >= 0;
    }

    /** Payload type byte of the valid frame at pos (call after validAt). */
    int typeAt(long pos) {
        return win.get((int) (pos - winStart) + LogFormat.FRAME);
    }

    /** Payload length of a valid frame at pos, or a negative code. */
    private int check(long pos, long limit) {
        if (pos + LogFormat.FRAME > limit || !ensure(pos, LogFormat.FRAME, limit)) return INCOMPLETE;
        int i = (int) (pos - winStart);
        int len = win.getInt(i);
        int stored = win.getInt(i + 4);
        if (len < 1 || len > LogFormat.MAX_PAYLOAD) return BAD;
        if (pos + LogFormat.FRAME + len > limit) return INCOMPLETE;
        if (!ensure(pos, LogFormat.FRAME + len, limit)) return INCOMPLETE;
        i = (int) (pos - winStart);
        if (!LogFormat.knownType(win.get(i + LogFormat.FRAME))) return BAD;
        crc.reset();
        crc.update(win.array(), i + LogFormat.FRAME, len);
        return (int) crc.getValue() == stored ? len : BAD;
    }

    /** The next position after pos where a valid frame starts, or -1. */
    private long resync(long pos, long limit) {
        if (ensure(pos, LogFormat.FRAME, limit)) {
            int len = win.getInt((int) (pos - winStart));
            if (len >= 1 && len <= LogFormat.MAX_PAYLOAD) {
                long guess = pos + LogFormat.FRAME + len;
                if (guess < limit && check(guess, limit) >= 0) return guess;
            }
        }
        for (long q = pos + 1; q + LogFormat.FRAME < limit; q++) {
            if (check(q, limit) >= 0) return q;
        }
        return -1;
    }

    /** Makes bytes [pos, pos + n) available in the window, reading no further than limit. */
    private boolean ensure(long pos, int n, long limit) {
        if (pos >= winStart && pos + n <= winStart + winLen) return true;
        if (n > win.capacity()) win = ByteBuffer.allocate(Math.max(n, capacity)).order(ByteOrder.LITTLE_ENDIAN);
        else if (win.capacity() < capacity && limit - pos > win.capacity())
            win = ByteBuffer.allocate(Math.min(capacity, win.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        int want = (int) Math.min(win.capacity(), limit - pos);
        if (want < n) return false;
        ByteBuffer dst = ByteBuffer.wrap(win.array(), 0, want);
        try {
            while (dst.hasRemaining()) {
                int r = ch.read(dst, pos + dst.position());
                if (r < 0) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        winStart = pos;
        winLen = dst.position();
        return winLen >= n;
    }

    /** Forgets the window (after the file was truncated). */
    void invalidate() {
        winStart = 0;
        winLen = 0;
    }
}
