package trainwatch.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every step by which the store changes a file: the seam where tests inject a
 * crash between two steps or a full disk. Opening a channel is not a step (it
 * changes nothing a reader trusts); each method names the file for diagnostics.
 */
public interface FileOps {
    /** The real disk. */
    FileOps DISK = new FileOps() {};

    /** Positional write; may write fewer bytes than remain (callers loop). */
    default int write(Path file, FileChannel ch, ByteBuffer src, long at) throws IOException {
        return ch.write(src, at);
    }

    /** fsync of the file's data (and the metadata needed to read it back). */
    default void force(Path file, FileChannel ch) throws IOException {
        ch.force(false);
    }

    default void truncate(Path file, FileChannel ch, long size) throws IOException {
        ch.truncate(size);
    }

    /** Atomic rename over an existing target. */
    default void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** fsync of a directory, so that a rename or a new file in it survives a power cut. */
    default void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or fsync a directory; the rename itself already happened.
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    default void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Bytes a new write could still use on the file system holding {@code p}. */
    default long usableSpace(Path p) throws IOException {
        return Files.getFileStore(p).getUsableSpace();
    }
}
