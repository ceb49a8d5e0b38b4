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
import java.util.Arrays;
import java.util.List;

/**
 * What the writer does on open: find the log's valid end (cut a torn tail),
 * drop side-file entries that run ahead of it or belong to the unfinished
 * 4096-step group, and replay the log from that group's start to rebuild them.
 */
final class Recovery {
    /** Where appending continues. */
    record Found(long end, long nextSeq, long lastStep, long cutBytes, long minStep) {}

    private Recovery() {}

    static Found run(RunPaths p, FileOps ops, FileChannel log, TagTable tags, SideOut index, SideOut rare, SummaryBuilder sums,
                     List<String> problems) throws IOException {
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
        truncateSummaries(ops, p.indexDir(), keepGroupsBelow);
        long keepRare = rare.size() / 8;
        while (keepRare > 0 && readLong(rare.channel(), (keepRare - 1) * RareIndex.ENTRY) >= from) keepRare--;
        rare.truncate(keepRare * RareIndex.ENTRY);

        long[] state = {1, -1, 0}; // nextSeq, lastStep, the fromStep of a RESUME that no scalars followed yet
        int[][] ids = {new int[16]};
        double[][] vals = {new double[16]};
        ScalarsRecord rec = new ScalarsRecord();
        long end = frames.scan(from, size, (off, b, pos, len) -> {
            if (!LogFormat.hasSeq(b, pos)) {
                RecordCodec.TagDef d = RecordCodec.tagDef(b, pos, len);
                if (!tags.put(d.id(), d.name(), off)) problems.add("tag id " + d.id() + " defined twice at byte " + off);
                return true;
            }
            state[0] = Math.max(state[0], LogFormat.seq(b, pos) + 1);
            if (ScalarsRecord.is(b, pos)) {
                ScalarsRecord r = rec.wrap(b, pos, len);
                if (!r.wellFormed()) {
                    problems.add("scalars record at byte " + off + " has a wrong length");
                    return true;
                }
                int n = r.count();
                if (n > ids[0].length) {
                    ids[0] = new int[n];
                    vals[0] = new double[n];
                }
                for (int i = 0; i < n; i++) {
                    ids[0][i] = r.tagId(i);
                    vals[0][i] = r.value(i);
                }
                sums.onScalars(off, off + LogFormat.FRAME + len, r.seq(), r.step(), ids[0], vals[0], n);
                state[1] = r.step();
            } else {
                // A reopen right after a resume must still refuse the steps the resume kept (no scalars since would tell).
                if (LogFormat.type(b, pos) == LogFormat.RESUME && RecordCodec.decode(b, pos, len, t -> null) instanceof Resumed rs)
                    state[2] = rs.fromStep();
                RareIndex.append(rare, off);
            }
            return true;
        }, problems);
        long cut = size - end;
        if (cut > 0) {
            ops.truncate(p.log(), log, end);
            problems.add("cut a torn tail of " + cut + " bytes at byte " + end + " of events.log");
        }
        tags.retainBefore(end);
        byte[] lines = tags.linesBefore(end).getBytes(StandardCharsets.UTF_8);
        if (!sameBytes(p.tags(), lines)) AtomicFiles.write(ops, p.tags(), lines, true);
        dropOrphanFilters(ops, p.filters(), state[0]);
        return new Found(end, state[0], state[1], cut, state[2]);
    }

    /** Keeps 4096-entries of groups below {@code group} and the 64-entries they cover. */
    private static void truncateSummaries(FileOps ops, Path indexDir, long group) throws IOException {
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
                        keep64 = readLong(gc, at + BlockSummary.AUX1) + readLong(gc, at + BlockSummary.AUX2);
                    }
                    if (gc.size() > keep * LogFormat.ENTRY) ops.truncate(g, gc, keep * LogFormat.ENTRY);
                    long keepBytes = Math.min(bc.size() / LogFormat.ENTRY, keep64) * LogFormat.ENTRY;
                    if (bc.size() > keepBytes) ops.truncate(b, bc, keepBytes);
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(indexDir, "tag-*.64")) {
            for (Path b : ds) {
                Path g = b.resolveSibling(b.getFileName().toString().replace(".64", ".4096"));
                if (!Files.exists(g)) try (FileChannel bc = FileChannel.open(b, StandardOpenOption.WRITE)) {
                    if (bc.size() > 0) ops.truncate(b, bc, 0);
                }
            }
        }
    }

    /** Snapshot files whose notice record did not make it into the log. */
    private static void dropOrphanFilters(FileOps ops, Path dir, long nextSeq) throws IOException {
        for (long step : FilterFiles.steps(dir))
            if (FilterFiles.seq(dir, step) >= nextSeq) ops.delete(FilterFiles.file(dir, step));
    }

    /** Rewriting an unchanged tags.tsv would cost two fsyncs on every open. */
    private static boolean sameBytes(Path file, byte[] want) {
        try {
            return Arrays.equals(Files.readAllBytes(file), want);
        } catch (IOException e) {
            return false;
        }
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
