package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Whole-file writes that readers never see half done: write a temporary file, then rename it over the target. */
final class AtomicFiles {
    private AtomicFiles() {}

    static void write(Path target, byte[] bytes, boolean fsync) {
        write(target, new ByteBuffer[] {ByteBuffer.wrap(bytes)}, fsync);
    }

    static void write(Path target, ByteBuffer[] parts, boolean fsync) {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (ByteBuffer p : parts) while (p.hasRemaining()) ch.write(p);
                if (fsync) ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException(e);
        }
    }
}
