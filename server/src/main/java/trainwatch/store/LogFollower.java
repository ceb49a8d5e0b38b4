package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Follows events.log while a writer (maybe another process) appends: the
 * valid end (last frame whose CRC checks), the tag names, and which blocks the
 * block index has sealed below that end. Each new valid record goes to the
 * sink; when the log was rewritten under it (a writer cut a torn tail, or a
 * resume cut superseded records and appended new ones) the sink is told to
 * forget everything and the log is followed again from its start.
 */
final class LogFollower implements AutoCloseable {
    /** What the follower feeds. */
    interface Sink {
        /** Reading starts at {@code startOffset}, the first record of block {@code startBlock}: summaries and rare.bin cover what lies before. */
        void opened(long startBlock, long startOffset, long size);

        void record(long off, ByteBuffer b, int pos, int len);

        /** The log changed below what was followed: drop every cached fact. */
        void reset();
    }

    private final RunPaths paths;
    private final Sink sink;
    private final Problems problems;
    private final ByteBuffer head = ByteBuffer.allocate(LogFormat.FRAME).order(ByteOrder.LITTLE_ENDIAN);
    private TagTable tags = new TagTable();
    private FileChannel log;
    private FileChannel index;
    private FrameReader frames;
    private long tagsBytes;
    private long validEnd;
    private long sealedBlocks;
    private long tailStart = LogFormat.HEADER;
    private long indexSeen = -1;
    private long endSeen = -1;
    /** Offset and header (length + CRC) of the last frame followed: if those bytes change, the log was rewritten. */
    private long lastFrameAt = -1;
    private long lastFrameHead;

    LogFollower(RunPaths paths, Sink sink, Problems problems) {
        this.paths = paths;
        this.sink = sink;
        this.problems = problems;
    }

    /** Catches up with the writer; false while the run has no log yet. */
    boolean refresh() {
        try {
            if (log == null) {
                if (!Files.exists(paths.log())) return false;
                open();
            }
            long size = log.size();
            if (size < validEnd || rewritten()) {
                reset();
                open();
                size = log.size();
            }
            loadTags();
            if (size > validEnd) validEnd = frames.scan(validEnd, size, this::follow, problems);
            updateSealed();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TagTable tags() {
        return tags;
    }

    FrameReader frames() {
        return frames;
    }

    FileChannel index() {
        return index;
    }

    long validEnd() {
        return validEnd;
    }

    /** Blocks below this have complete summaries. */
    long sealedBlocks() {
        return sealedBlocks;
    }

    /** Where the first unsealed block's records start: read raw from here. */
    long tailStart() {
        return tailStart;
    }

    /** Number of leading index entries whose record lies inside the valid log. */
    long trustedIndexEntries() {
        return index == null ? 0 : BlockIndex.countBelow(index, validEnd);
    }

    private boolean follow(long off, ByteBuffer b, int pos, int len) {
        lastFrameAt = off;
        lastFrameHead = b.getLong(pos - LogFormat.FRAME);
        sink.record(off, b, pos, len);
        return true;
    }

    private boolean rewritten() throws IOException {
        if (lastFrameAt < 0) return false;
        head.clear();
        while (head.hasRemaining()) if (log.read(head, lastFrameAt + head.position()) < 0) return true;
        return head.getLong(0) != lastFrameHead;
    }

    private void open() throws IOException {
        log = FileChannel.open(paths.log(), StandardOpenOption.READ);
        frames = new FrameReader(log, 1 << 20);
        index = Files.exists(paths.blockIndex()) ? FileChannel.open(paths.blockIndex(), StandardOpenOption.READ) : null;
        long size = log.size();
        ByteBuffer magic = ByteBuffer.allocate(LogFormat.HEADER);
        log.read(magic, 0);
        if (size >= LogFormat.HEADER && !Arrays.equals(magic.array(), LogFormat.MAGIC)) problems.add("events.log has no trainwatch header");
        loadTags();
        // Start at the newest block-index entry that points at a valid record; summaries cover what lies before.
        long start = LogFormat.HEADER;
        long startBlock = 0;
        long k = index == null ? -1 : BlockIndex.lastValid(index, frames, size);
        if (k >= 0) {
            start = BlockIndex.offset(index, k);
            startBlock = BlockIndex.blockNo(index, k);
        }
        sink.opened(startBlock, start, size);
        validEnd = start;
    }

    private void loadTags() throws IOException {
        Path f = paths.tags();
        if (Files.exists(f) && Files.size(f) > tagsBytes) tagsBytes = tags.load(f, tagsBytes);
    }

    /** Blocks below the newest index entry that points inside the valid log are sealed: their summaries are complete. */
    private void updateSealed() throws IOException {
        if (index == null) {
            if (!Files.exists(paths.blockIndex())) return;
            index = FileChannel.open(paths.blockIndex(), StandardOpenOption.READ);
        }
        long n = index.size() / LogFormat.INDEX_ENTRY;
        if (n == indexSeen && validEnd == endSeen) return;
        indexSeen = n;
        endSeen = validEnd;
        long k = trustedIndexEntries();
        if (k == 0) return;
        long blk = BlockIndex.blockNo(index, k - 1);
        if (blk > sealedBlocks) {
            sealedBlocks = blk;
            tailStart = BlockIndex.offset(index, k - 1);
        }
    }

    private void reset() throws IOException {
        closeChannels();
        sink.reset();
        tags = new TagTable();
        tagsBytes = 0;
        validEnd = 0;
        sealedBlocks = 0;
        tailStart = LogFormat.HEADER;
        indexSeen = endSeen = -1;
        lastFrameAt = -1;
    }

    private void closeChannels() throws IOException {
        if (log != null) log.close();
        if (index != null) index.close();
        log = null;
        index = null;
    }

    @Override
    public void close() {
        try {
            closeChannels();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
