package trainwatch.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that look at a run's files directly (the layout of docs/run-format.md). */
final class LogFiles {
    private LogFiles() {}

    /** Start offsets of every frame in events.log, plus its end. */
    static List<Long> frameStarts(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> out = new ArrayList<>();
        int pos = LogFormat.HEADER;
        while (pos + 8 <= all.length) {
            out.add((long) pos);
            pos += 8 + b.getInt(pos);
        }
        out.add((long) pos);
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }

    static void flipByte(Path file, long at) throws IOException {
        byte[] all = Files.readAllBytes(file);
        all[(int) at] ^= 0x5A;
        Files.write(file, all);
    }
}
