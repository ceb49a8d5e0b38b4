package trainwatch.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's open file descriptors (Linux /proc/self/fd) that point at files under a directory. */
public final class OpenFiles {
    private OpenFiles() {}

    public static int under(Path dir) {
        return list(dir).size();
    }

    /** The open files under dir, as paths relative to it (one entry per descriptor). */
    public static java.util.List<String> list(Path dir) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Path top = dir.toAbsolutePath().normalize();
        Path real;
        try {
            real = top.toRealPath();
        } catch (IOException e) {
            real = top;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real)) out.add(real.relativize(target).toString());
                    else if (target.startsWith(top)) out.add(top.relativize(target).toString());
                } catch (IOException e) {
                    // closed while we listed (the listing's own descriptor among them)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd (Linux only)", e);
        }
        return out;
    }
}
