package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A reader's open summary files: each tag's level-64 channel and its cached sealed level-4096 entries. */
final class SummaryFiles implements AutoCloseable {
    private final RunPaths paths;
    private final Map<Integer, FileChannel> level64 = new HashMap<>();
    private final Map<Integer, GroupCache> groups = new HashMap<>();

    SummaryFiles(RunPaths paths) {
        this.paths = paths;
    }

    /** The tag's level-64 file, or null while it has none. */
    FileChannel level64(int tid) {
        return level64.computeIfAbsent(tid, t -> {
            try {
                return FileChannel.open(paths.summary(t, false), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Level-4096 entries of groups that lie wholly below {@code sealedBlocks}. */
    List<BlockSummary> groups(int tid, long sealedBlocks) {
        return groups.computeIfAbsent(tid, t -> new GroupCache(paths.summary(t, true))).sealed(sealedBlocks);
    }

    /** The newest sealed level-64 entry of a block below {@code below}, or null. */
    BlockSummary lastBlockBelow(int tid, long below) {
        FileChannel c = below == 0 ? null : level64(tid);
        if (c == null) return null;
        ByteBuffer e = ByteBuffer.allocate(LogFormat.ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (long i = c.size() / LogFormat.ENTRY - 1; i >= 0; i--) {
                e.clear();
                c.read(e, i * LogFormat.ENTRY);
                BlockSummary s = BlockSummary.read(e, 0);
                if (s.blockNo < below) return s;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return null;
    }

    /** The files were rebuilt: forget cached entries (channels stay valid, the files are cut in place). */
    void clear() {
        groups.clear();
    }

    @Override
    public void close() {
        try {
            for (FileChannel c : level64.values()) if (c != null) c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            level64.clear();
            groups.clear();
        }
    }
}
