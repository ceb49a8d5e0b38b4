package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only side file (index, summaries) written through a buffer that
 * grows until the next flush. A flush that fails (a full disk) is undone: the
 * file is cut back to its last complete flush and the bytes stay buffered, so
 * fixed-size entries never go out of step and a later flush can retry.
 */
final class SideOut implements AutoCloseable {
    private final Path path;
    private final FileOps ops;
    private final FileChannel ch;
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private long size;
    private boolean dirty;

    SideOut(Path path, FileOps ops) {
        this.path = path;
        this.ops = ops;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = ch.size();
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
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
        long at = size;
        try {
            while (buf.hasRemaining()) at += ops.write(path, ch, buf, at);
        } catch (IOException e) {
            buf.position(buf.limit()).limit(buf.capacity()); // keep every byte buffered for a retry
            undo();
            throw IoErrors.unchecked(e, path, ops);
        }
        size = at;
        dirty = true;
        buf.clear();
    }

    /** Cuts a partial flush off (cutting frees space, so it works on a full disk). */
    private void undo() {
        try {
            ops.truncate(path, ch, size);
        } catch (IOException | RuntimeException ignored) {
            // readers only trust whole entries below the log's valid end; recovery cuts the rest
        }
    }

    /** Drops everything from byte n on (recovery); the buffer must be empty. */
    void truncate(long n) {
        try {
            if (n < ch.size()) ops.truncate(path, ch, n);
            size = Math.min(size, n);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
        }
    }

    FileChannel channel() {
        return ch;
    }

    /** fsync, skipped when nothing was written since the last one. */
    void force() {
        if (!dirty) return;
        try {
            ops.force(path, ch);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
        }
        dirty = false;
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
