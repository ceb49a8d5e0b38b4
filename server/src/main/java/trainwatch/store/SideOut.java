package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only side file (index, summaries) written through a buffer that grows until the next flush. */
final class SideOut implements AutoCloseable {
    private final FileChannel ch;
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private long size;
    private boolean dirty;

    SideOut(Path path) {
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Room for n more bytes; the caller then puts them. */
    ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }

    /** Bytes in the file plus bytes buffered. */
    long size() {
        return size + buf.position();
    }

    void flush() {
        if (buf.position() == 0) return;
        buf.flip();
        try {
            while (buf.hasRemaining()) size += ch.write(buf, size);
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buf.clear();
        }
    }

    /** Drops everything from byte n on (recovery); the buffer must be empty. */
    void truncate(long n) {
        try {
            if (n < ch.size()) ch.truncate(n);
            size = Math.min(size, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FileChannel channel() {
        return ch;
    }

    /** fsync, skipped when nothing was written since the last one. */
    void force() {
        if (!dirty) return;
        dirty = false;
        try {
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
