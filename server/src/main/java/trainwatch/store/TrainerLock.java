package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * runs/<id>/trainer.lock, held (FileChannel.tryLock) by the writer for its
 * lifetime. The OS drops it when the process dies, so "someone holds it" means
 * "a trainer is alive". POSIX locks belong to the process and closing any
 * channel on the file releases them, so locks held in this JVM are tracked
 * here and never probed through a second channel.
 */
final class TrainerLock implements AutoCloseable {
    private static final Set<Path> HELD_HERE = new HashSet<>();

    private final Path path;
    private final FileChannel ch;
    private final FileLock lock;

    private TrainerLock(Path path, FileChannel ch, FileLock lock) {
        this.path = path;
        this.ch = ch;
        this.lock = lock;
    }

    /** Takes the lock, retrying briefly (a liveness probe may hold it for an instant). */
    static TrainerLock acquire(Path file, String id) {
        Path key = file.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            synchronized (TrainerLock.class) {
                if (!HELD_HERE.contains(key)) {
                    TrainerLock l = tryTake(key);
                    if (l != null) {
                        HELD_HERE.add(key);
                        return l;
                    }
                }
            }
            if (System.nanoTime() > deadline) throw new RunBusyException("run " + id + " is being written by another trainer");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunBusyException("interrupted while waiting for the lock of run " + id);
            }
        }
    }

    private static TrainerLock tryTake(Path key) {
        try {
            FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = null;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return null;
            }
            return new TrainerLock(key, ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True while some process (this one included) holds the lock. */
    static boolean held(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (TrainerLock.class) {
            if (HELD_HERE.contains(key)) return true;
            if (!Files.exists(key)) return false;
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.WRITE)) {
                FileLock l = ch.tryLock();
                if (l == null) return true;
                l.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                // out of descriptors tells nothing about the trainer: never take it for dead (its run would read interrupted)
                return Descriptors.exhausted(e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (TrainerLock.class) {
            try {
                if (lock.isValid()) lock.release();
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                HELD_HERE.remove(path);
            }
        }
    }
}
