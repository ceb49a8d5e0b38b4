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

/**
 * A reader's summary files: the level-64 file of the tag being read and each tag's cached sealed
 * level-4096 entries. At most one level-64 file is open at a time, and only while a query uses it
 * ({@link #release()} after each): a reader kept open for a live run holds no descriptor per tag.
 */
final class SummaryFiles implements AutoCloseable {
    private final RunPaths paths;
    private final Map<Integer, GroupCache> groups = new HashMap<>();
    private int openTid = -1;
    private FileChannel open;

    SummaryFiles(RunPaths paths) {
        this.paths = paths;
    }

    /** The tag's level-64 file, or null while it has none; open until {@link #release()} or another tag's is asked for. */
    FileChannel level64(int tid) {
        if (open != null && openTid == tid) return open;
        release();
        try {
            open = FileChannel.open(paths.summary(tid, false), StandardOpenOption.READ);
            openTid = tid;
            return open;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the open level-64 file (the reader's query is done). */
    void release() {
        FileChannel c = open;
        open = null;
        openTid = -1;
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The files were rebuilt: forget cached entries (the files are cut in place). */
    void clear() {
        groups.clear();
    }

    @Override
    public void close() {
        try {
            release();
        } finally {
            groups.clear();
        }
    }
}
