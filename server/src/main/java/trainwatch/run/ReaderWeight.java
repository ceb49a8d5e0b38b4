package trainwatch.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an open reader of a run is estimated to hold in memory, from file sizes alone: its
 * 1 MiB frame window, an entry buffer per tag, and the level-4096 summaries it caches
 * (as objects, about twice their size on disk). An estimate for the pool's byte bound,
 * not a measurement.
 */
final class ReaderWeight {
    static final long WINDOW = 1 << 20;
    static final long PER_TAG = 20 << 10;

    private ReaderWeight() {}

    static long estimate(Path runDir) {
        long total = WINDOW;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runDir.resolve("index"), "tag-*.4096")) {
            for (Path p : ds) total += PER_TAG + 2 * Files.size(p);
        } catch (IOException e) {
            // no index yet (a run that has written nothing): the window is the estimate
        }
        return total;
    }
}
