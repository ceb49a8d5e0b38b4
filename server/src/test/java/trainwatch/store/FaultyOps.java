package trainwatch.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FileOps for tests: counts every step, records a trace, and can (a) crash at
 * step k (that step and every later one fail, as if the process had died
 * there) or (b) fill the disk after a byte budget (a short write, then
 * "No space left on device", as the kernel does).
 */
final class FaultyOps implements FileOps {
    static final long NEVER = Long.MAX_VALUE;

    private final long crashAt;
    private final long budget;
    private long steps;
    private long written;
    private boolean dead;
    final List<String> trace = new ArrayList<>();

    private FaultyOps(long crashAt, long budget) {
        this.crashAt = crashAt;
        this.budget = budget;
    }

    static FaultyOps counting() {
        return new FaultyOps(NEVER, NEVER);
    }

    static FaultyOps crashAt(long step) {
        return new FaultyOps(step, NEVER);
    }

    static FaultyOps diskOf(long bytes) {
        return new FaultyOps(NEVER, bytes);
    }

    synchronized long steps() {
        return steps;
    }

    synchronized boolean crashed() {
        return dead;
    }

    private synchronized void step(String what) throws IOException {
        if (dead || steps == crashAt) {
            dead = true;
            throw new IOException("injected crash before step " + steps + " (" + what + ")");
        }
        steps++;
        trace.add(what);
    }

    @Override
    public int write(Path file, FileChannel ch, ByteBuffer src, long at) throws IOException {
        step("write " + file.getFileName());
        synchronized (this) {
            long room = budget - written;
            if (room <= 0) throw new IOException("No space left on device");
            if (src.remaining() > room) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + (int) room);
                int n = ch.write(part, at);
                src.position(src.position() + n);
                written += n;
                return n;
            }
            int n = ch.write(src, at);
            written += n;
            return n;
        }
    }

    @Override
    public void force(Path file, FileChannel ch) throws IOException {
        step("force " + file.getFileName()); // no real fsync: a process crash keeps the page cache, and tests stay fast
    }

    @Override
    public void truncate(Path file, FileChannel ch, long size) throws IOException {
        step("truncate " + file.getFileName());
        FileOps.super.truncate(file, ch, size);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        step("rename " + from.getFileName() + " " + to.getFileName());
        FileOps.super.rename(from, to);
    }

    @Override
    public void syncDir(Path dir) throws IOException {
        step("syncDir " + dir.getFileName());
    }

    @Override
    public void delete(Path file) throws IOException {
        step("delete " + file.getFileName());
        FileOps.super.delete(file);
    }

    @Override
    public synchronized long usableSpace(Path p) {
        return budget == NEVER ? 1L << 40 : Math.max(0, budget - written);
    }
}
