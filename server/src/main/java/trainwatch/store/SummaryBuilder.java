package trainwatch.store;

import java.util.Arrays;

/**
 * Builds the side files while scalars are appended (or replayed in recovery):
 * index/blocks.bin gets (blockNo, offset, seq) when the first record of a
 * 64-step block arrives; index/tag-<id>.64 and .4096 get one summary entry per
 * block / group in which the tag had points, written when the block is
 * complete (a later block starts). flush() writes level 64, then 4096, then
 * the block index: a reader that sees block B in the index may trust every
 * summary of the blocks before B.
 */
final class SummaryBuilder implements AutoCloseable {
    private static final class TagSum {
        final BlockSummary block = new BlockSummary();
        final BlockSummary group = new BlockSummary();
        long entries64;
        SideOut out64;
        SideOut out4096;
    }

    private final RunPaths paths;
    private final FileOps ops;
    private final SideOut index;
    private TagSum[] tags = new TagSum[16];
    private long curBlock = -1;

    SummaryBuilder(RunPaths paths, FileOps ops, SideOut index) {
        this.paths = paths;
        this.ops = ops;
        this.index = index;
    }

    void onScalars(long start, long end, long seq, long step, int[] ids, double[] values, int n) {
        long blk = step >>> LogFormat.BLOCK_SHIFT;
        if (blk != curBlock) transition(blk, start, seq);
        for (int i = 0; i < n; i++) {
            TagSum t = tag(ids[i]);
            BlockSummary b = t.block;
            if (b.count == 0) b.aux1 = start;
            b.addPoint(step, values[i]);
            b.aux2 = end;
            t.group.addPoint(step, values[i]);
        }
    }

    private void transition(long blk, long start, long seq) {
        if (curBlock >= 0) {
            seal64();
            if ((blk >>> 6) != (curBlock >>> 6)) seal4096();
        }
        BlockIndex.append(index, blk, start, seq);
        curBlock = blk;
    }

    private void seal64() {
        for (TagSum t : tags) {
            if (t == null || t.block.count == 0) continue;
            t.block.blockNo = curBlock;
            t.block.write(t.out64.room(LogFormat.ENTRY));
            long idx = t.entries64++;
            if (t.group.aux2 == 0) t.group.aux1 = idx;
            t.group.aux2++;
            t.block.reset();
        }
    }

    private void seal4096() {
        for (TagSum t : tags) {
            if (t == null || t.group.count == 0) continue;
            t.group.blockNo = curBlock >>> 6;
            t.group.write(t.out4096.room(LogFormat.ENTRY));
            t.group.reset();
        }
    }

    private TagSum tag(int id) {
        if (id >= tags.length) tags = Arrays.copyOf(tags, Math.max(id + 1, tags.length * 2));
        TagSum t = tags[id];
        if (t == null) {
            t = new TagSum();
            t.out64 = new SideOut(paths.summary(id, false), ops);
            t.out4096 = new SideOut(paths.summary(id, true), ops);
            t.entries64 = t.out64.size() / LogFormat.ENTRY;
            tags[id] = t;
        }
        return t;
    }

    void flush() {
        for (TagSum t : tags) if (t != null) t.out64.flush();
        for (TagSum t : tags) if (t != null) t.out4096.flush();
        index.flush();
    }

    void force() {
        for (TagSum t : tags) {
            if (t == null) continue;
            t.out64.force();
            t.out4096.force();
        }
        index.force();
    }

    @Override
    public void close() {
        for (TagSum t : tags) {
            if (t == null) continue;
            t.out64.close();
            t.out4096.close();
        }
        index.close();
    }
}
