package trainwatch.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's open file descriptors (Linux /proc/self/fd) that point at files under a directory. */
public final class OpenFiles {
    private OpenFiles() {}

    public static int under(Path dir) {
        Path top = dir.toAbsolutePath().normalize();
        Path real;
        try {
            real = top.toRealPath();
        } catch (IOException e) {
            real = top;
        }
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(top) || target.startsWith(real)) n++;
                } catch (IOException e) {
                    // closed while we listed (the listing's own descriptor among them)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd (Linux only)", e);
        }
        return n;
    }
}
