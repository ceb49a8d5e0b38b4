package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What the writer does on open: find the log's valid end (cut a torn tail),
 * drop side-file entries that run ahead of it or belong to the unfinished
 * 4096-step group, and replay the log from that group's start to rebuild them.
 */
final class Recovery {
    /** Where appending resumes. */
    record Resume(long end, long nextSeq, long lastStep, long cutBytes) {}

    private Recovery() {}

    static Resume run(RunPaths p, FileChannel log, TagTable tags, SideOut index, SideOut rare, SummaryBuilder sums, List<String> problems)
            throws IOException {
        long size = log.size();
        FrameReader frames = new FrameReader(log, 1 << 20);
        tags.load(p.tags(), 0);

        // The newest block-index entry that points at a valid scalars record inside the log.
        long k0 = BlockIndex.lastValid(index.channel(), frames, size);
        long from = LogFormat.HEADER;
        long keepIndex = 0;
        long keepGroupsBelow = 0;
        if (k0 >= 0) {
            long group = BlockIndex.blockNo(index.channel(), k0) >>> 6;
            long r = k0;
            while (r > 0 && (BlockIndex.blockNo(index.channel(), r - 1) >>> 6) == group) r--;
            keepIndex = r;
            keepGroupsBelow = group;
            from = BlockIndex.offset(index.channel(), r);
        }
        index.truncate(keepIndex * LogFormat.INDEX_ENTRY);
        truncateSummaries(p.indexDir(), keepGroupsBelow);
        long keepRare = rare.size() / 8;
        while (keepRare > 0 && readLong(rare.channel(), (keepRare - 1) * 8) >= from) keepRare--;
        rare.truncate(keepRare * 8);

        long[] state = {1, -1}; // nextSeq, lastStep
        int[] ids = new int[16];
        double[] vals = new double[16];
        long end = frames.scan(from, size, (off, b, pos, len) -> {
            int type = b.get(pos);
            if (type == LogFormat.TAG_DEF) {
                int id = b.getShort(pos + 1) & 0xffff;
                String name = new String(b.array(), pos + 3, len - 3, StandardCharsets.UTF_8);
                if (!tags.put(id, name, off)) problems.add("tag id " + id + " defined twice at byte " + off);
                return true;
            }
            long seq = b.getLong(pos + 1);
            state[0] = Math.max(state[0], seq + 1);
            if (type == LogFormat.SCALARS) {
                long step = b.getLong(pos + 9);
                int n = b.getShort(pos + 25) & 0xffff;
                int[] is = n <= ids.length ? ids : new int[n];
                double[] vs = n <= vals.length ? vals : new double[n];
                for (int i = 0; i < n; i++) {
                    is[i] = b.getShort(pos + 27 + 10 * i) & 0xffff;
                    vs[i] = b.getDouble(pos + 29 + 10 * i);
                }
                sums.onScalars(off, off + LogFormat.FRAME + len, seq, step, is, vs, n);
                state[1] = step;
            } else {
                rare.room(8).putLong(off);
            }
            return true;
        }, problems);
        long cut = size - end;
        if (cut > 0) {
            log.truncate(end);
            problems.add("cut a torn tail of " + cut + " bytes at byte " + end + " of events.log");
        }
        tags.retainBefore(end);
        AtomicFiles.write(p.tags(), tags.linesBefore(end).getBytes(StandardCharsets.UTF_8), false);
        dropOrphanFilters(p.filters(), state[0]);
        return new Resume(end, state[0], state[1], cut);
    }

    /** Keeps 4096-entries of groups below {@code group} and the 64-entries they cover. */
    private static void truncateSummaries(Path indexDir, long group) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(indexDir, "tag-*.4096")) {
            for (Path g : ds) {
                Path b = g.resolveSibling(g.getFileName().toString().replace(".4096", ".64"));
                try (FileChannel gc = FileChannel.open(g, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileChannel bc = FileChannel.open(b, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long keep = gc.size() / LogFormat.ENTRY;
                    while (keep > 0 && readLong(gc, (keep - 1) * LogFormat.ENTRY) >= group) keep--;
                    long keep64 = 0;
                    if (keep > 0) {
                        long at = (keep - 1) * LogFormat.ENTRY;
                        keep64 = readLong(gc, at + 56) + readLong(gc, at + 64);
                    }
                    gc.truncate(keep * LogFormat.ENTRY);
                    bc.truncate(Math.min(bc.size() / LogFormat.ENTRY, keep64) * LogFormat.ENTRY);
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(indexDir, "tag-*.64")) {
            for (Path b : ds) {
                Path g = b.resolveSibling(b.getFileName().toString().replace(".64", ".4096"));
                if (!Files.exists(g)) try (FileChannel bc = FileChannel.open(b, StandardOpenOption.WRITE)) {
                    bc.truncate(0);
                }
            }
        }
    }

    /** Snapshot files whose notice record did not make it into the log. */
    private static void dropOrphanFilters(Path dir, long nextSeq) throws IOException {
        for (long step : FilterFiles.steps(dir))
            if (FilterFiles.seq(dir, step) >= nextSeq) Files.deleteIfExists(FilterFiles.file(dir, step));
    }

    static long readLong(FileChannel ch, long at) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining()) if (ch.read(b, at + b.position()) < 0) return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.getLong(0);
    }
}
