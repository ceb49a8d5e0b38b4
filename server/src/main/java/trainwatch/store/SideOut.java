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
 *
 * The file is open only while it is used (a flush with bytes to write, an
 * fsync, recovery reading it): side files change once per 64-step block, so a
 * writer holds no descriptor per tag between blocks (a 10-tag run would
 * otherwise hold 22 of them for its whole life). An fsync through a new
 * descriptor forces every written page of the file, whichever descriptor
 * wrote it.
 */
final class SideOut implements AutoCloseable {
    private final Path path;
    private final FileOps ops;
    private FileChannel ch;
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private long size;
    private boolean dirty;

    /** Creates the file when missing (readers and recovery expect it once the writer knows the tag). */
    SideOut(Path path, FileOps ops) {
        this.path = path;
        this.ops = ops;
        try {
            size = channel().size();
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
        } finally {
            release();
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

    /** Writes what is buffered (nothing to do, no descriptor opened, when nothing is), then closes the file again. */
    void flush() {
        if (buf.position() == 0) {
            release();
            return;
        }
        buf.flip();
        long at = size;
        try {
            FileChannel c = channel();
            while (buf.hasRemaining()) at += ops.write(path, c, buf, at);
        } catch (IOException | UncheckedIOException e) {
            buf.position(buf.limit()).limit(buf.capacity()); // keep every byte buffered for a retry
            undo();
            release();
            throw e instanceof IOException io ? IoErrors.unchecked(io, path, ops) : (UncheckedIOException) e;
        }
        size = at;
        dirty = true;
        buf.clear();
        release();
    }

    /** Cuts a partial flush off (cutting frees space, so it works on a full disk). */
    private void undo() {
        try {
            if (ch != null) ops.truncate(path, ch, size);
        } catch (IOException | RuntimeException ignored) {
            // readers only trust whole entries below the log's valid end; recovery cuts the rest
        }
    }

    /** Drops everything from byte n on (recovery); the buffer must be empty. */
    void truncate(long n) {
        try {
            FileChannel c = channel();
            if (n < c.size()) ops.truncate(path, c, n);
            size = Math.min(size, n);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
        }
    }

    /** The open file (opened now if it was closed); it stays open until the next flush or {@link #release()}. */
    FileChannel channel() {
        if (ch == null) {
            try {
                ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw IoErrors.unchecked(e, path, ops);
            }
        }
        return ch;
    }

    /** fsync, skipped when nothing was written since the last one. */
    void force() {
        if (!dirty) return;
        try {
            ops.force(path, channel());
        } catch (IOException e) {
            throw IoErrors.unchecked(e, path, ops);
        } finally {
            release();
        }
        dirty = false;
    }

    /** Closes the file until it is needed again (buffered bytes stay buffered). */
    void release() {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ch = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
