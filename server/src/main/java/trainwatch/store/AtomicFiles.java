package trainwatch.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that readers never see half done: write a temporary file
 * beside the target, then rename it over the target. Durable writes also
 * fsync the temporary file before the rename (else a power cut can leave the
 * new name on empty data) and the directory after it (else the rename itself
 * can be lost).
 */
public final class AtomicFiles {
    /** Writes a file's content to the stream it is given (e.g. a model serializer). */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code target} through {@code body} durably: temporary file, fsync,
     * rename, fsync of the directory. A crash at any point leaves the old file
     * (or none) under the target name, never a torn one. Throws
     * DiskFullException when the disk fills (the temporary file is removed).
     */
    public static void writeDurably(Path target, Body body) {
        write(FileOps.DISK, target, body, true);
    }

    static void write(FileOps ops, Path target, byte[] bytes, boolean durable) {
        write(ops, target, new ByteBuffer[] {ByteBuffer.wrap(bytes)}, durable);
    }

    static void write(FileOps ops, Path target, ByteBuffer[] parts, boolean durable) {
        write(ops, target, out -> {
            for (ByteBuffer p : parts) out.write(p.array(), p.arrayOffset() + p.position(), p.remaining());
        }, durable);
    }

    static void write(FileOps ops, Path target, Body body, boolean durable) {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(new ChannelOut(ops, tmp, ch), 64 * 1024)) {
                body.writeTo(out);
                out.flush();
                if (durable) ops.force(tmp, ch);
            }
            ops.rename(tmp, target);
            if (durable) ops.syncDir(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            forget(ops, tmp);
            throw IoErrors.unchecked(e, target, ops);
        } catch (RuntimeException e) {
            forget(ops, tmp);
            throw e;
        }
    }

    private static void forget(FileOps ops, Path tmp) {
        try {
            ops.delete(tmp);
        } catch (IOException | RuntimeException ignored) {
            // the original error matters more
        }
    }

    /** An OutputStream whose every write is one FileOps step. */
    private static final class ChannelOut extends OutputStream {
        private final FileOps ops;
        private final Path file;
        private final FileChannel ch;
        private long at;

        ChannelOut(FileOps ops, Path file, FileChannel ch) {
            this.ops = ops;
            this.file = file;
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            while (src.hasRemaining()) at += ops.write(file, ch, src, at);
        }
    }
}
