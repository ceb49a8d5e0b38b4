package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tag's points over a step range, answered from summaries where whole
 * blocks fit and from raw records only at the edges (docs/run-format.md,
 * "Series"). Steps below {@code sealedBlocks * 64} are covered by sealed
 * summaries; the points after that (the tail) are read raw.
 */
final class TagSeries {
    private final int tagId;
    private final long sealedBlocks;
    private final List<BlockSummary> groups;
    private final long openStart;
    private final FileChannel level64;
    private final FrameReader frames;
    private final PointBuf tail = new PointBuf();
    private final List<String> problems = new ArrayList<>();
    private final ScalarsRecord rec = new ScalarsRecord();
    private ByteBuffer entries = ByteBuffer.allocate(64 * LogFormat.ENTRY).order(ByteOrder.LITTLE_ENDIAN);
    private long memoGroup = -1;
    private BlockSummary[] memoEntries = new BlockSummary[0];
    private long memoRawStart = -1;
    private final PointBuf memoRaw = new PointBuf();

    /** The tail is the records in [tailStart, validEnd): the first unsealed block on. */
    TagSeries(int tagId, long sealedBlocks, List<BlockSummary> groups, FileChannel level64, FrameReader frames, long tailStart, long validEnd) {
        this.tagId = tagId;
        this.sealedBlocks = sealedBlocks;
        this.groups = groups;
        this.level64 = level64;
        this.frames = frames;
        BlockSummary lastGroup = groups.isEmpty() ? null : groups.get(groups.size() - 1);
        this.openStart = lastGroup == null ? 0 : lastGroup.aux1 + lastGroup.aux2;
        readRaw(tailStart, validEnd, tail);
    }

    /** Corrupt records met while reading raw (skipped, never returned as values). */
    List<String> problems() {
        return problems;
    }

    /** This tag's points in the records [from, to), CRC-checked. */
    private void readRaw(long from, long to, PointBuf out) {
        frames.scan(from, to, (off, buf, pos, len) -> {
            if (!ScalarsRecord.is(buf, pos)) return true;
            ScalarsRecord r = rec.wrap(buf, pos, len);
            if (!r.wellFormed()) return true;
            for (int i = 0, n = r.count(); i < n; i++) if (r.tagId(i) == tagId) out.add(r.step(), r.value(i));
            return true;
        }, problems);
    }

    /**
     * The best finite value and the first step holding it: the extreme over the
     * sealed groups' and open blocks' summaries and the raw tail, then the
     * first summary that holds it, narrowed to one block read raw.
     */
    Best best(Goal goal) {
        long sealedEnd = sealedBlocks << LogFormat.BLOCK_SHIFT;
        BlockSummary[] open = openEntries();
        double m = Double.NaN;
        for (BlockSummary g : groups) m = better(goal, m, goal.of(g));
        for (BlockSummary e : open) m = better(goal, m, goal.of(e));
        int t0 = tail.lowerBound(sealedEnd);
        for (int i = t0; i < tail.size; i++) m = better(goal, m, tail.values[i]);
        if (Double.isNaN(m)) return null;
        for (BlockSummary g : groups) {
            if (goal.of(g) != m) continue;
            Best b = firstIn(groupEntries(g.blockNo), goal, m);
            if (b != null) return b;
        }
        Best b = firstIn(open, goal, m);
        if (b != null) return b;
        for (int i = t0; i < tail.size; i++) if (tail.values[i] == m) return new Best(tail.values[i], tail.steps[i]);
        return null;
    }

    private static double better(Goal goal, double m, double v) {
        if (!Double.isFinite(v)) return m;
        return Double.isNaN(m) || goal.beats(v, m) ? v : m;
    }

    /** The first point equal to m in the first of these blocks whose summary holds m. */
    private Best firstIn(BlockSummary[] blocks, Goal goal, double m) {
        for (BlockSummary e : blocks) {
            if (e.blockNo >= sealedBlocks || goal.of(e) != m) continue;
            PointBuf p = new PointBuf();
            raw(e, e.firstStep, e.lastStep, p, null);
            for (int i = 0; i < p.size; i++) if (p.values[i] == m) return new Best(p.values[i], p.steps[i]);
        }
        return null;
    }

    /** Level-64 entries of the group that is not sealed yet, for its sealed blocks. */
    private BlockSummary[] openEntries() {
        BlockSummary[] all = groupEntries(sealedBlocks >>> 6);
        int n = 0;
        while (n < all.length && all[n].blockNo < sealedBlocks) n++;
        return Arrays.copyOf(all, n);
    }

    /** Screen-resolution answer over [from, to] clamped to [0, maxStep]. */
    Series build(String tag, long seq, int points, long from, long to, long maxStep) {
        if (points < 1) throw new IllegalArgumentException("points must be >= 1, got " + points);
        long a = Math.max(from, 0), b = Math.min(to, maxStep);
        if (a > b) return empty(tag, seq);
        BlockSummary all = agg(a, b);
        if (all.count == 0) return empty(tag, seq);
        if (all.count <= points) {
            PointBuf p = new PointBuf();
            collect(a, b, p);
            int n = p.size;
            int[] nf = new int[n];
            for (int i = 0; i < n; i++) nf[i] = Double.isFinite(p.values[i]) ? 0 : 1;
            double[] v = Arrays.copyOf(p.values, n);
            return new Series(tag, seq, all.count, Arrays.copyOf(p.steps, n), v, v.clone(), v.clone(), nf);
        }
        long lo = all.firstStep, span = all.lastStep - lo + 1;
        long[] st = new long[points];
        double[] last = new double[points], min = new double[points], max = new double[points];
        int[] nf = new int[points];
        int k = 0;
        long e0 = lo;
        for (int i = 0; i < points; i++) {
            long e1 = edge(lo, span, i + 1, points);
            if (e1 > e0) {
                BlockSummary s = agg(e0, e1 - 1);
                if (s.count > 0) {
                    st[k] = s.lastStep;
                    last[k] = s.last;
                    min[k] = s.min;
                    max[k] = s.max;
                    nf[k++] = (int) Math.min(Integer.MAX_VALUE, s.nonfinite);
                }
            }
            e0 = e1;
        }
        return new Series(tag, seq, all.count, Arrays.copyOf(st, k), Arrays.copyOf(last, k),
                Arrays.copyOf(min, k), Arrays.copyOf(max, k), Arrays.copyOf(nf, k));
    }

    static Series empty(String tag, long seq) {
        return new Series(tag, seq, 0, new long[0], new double[0], new double[0], new double[0], new int[0]);
    }

    /** lo + floor(i * span / points), exactly. */
    static long edge(long lo, long span, int i, int points) {
        if (span <= Long.MAX_VALUE / points) return lo + span * i / points;
        return lo + BigInteger.valueOf(span).multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(points)).longValueExact();
    }

    /** Summary of the points with step in [a, b]. */
    BlockSummary agg(long a, long b) {
        BlockSummary s = new BlockSummary();
        long sealedEnd = sealedBlocks << LogFormat.BLOCK_SHIFT;
        if (a < sealedEnd) sealedAgg(a, Math.min(b, sealedEnd - 1), s);
        if (b >= sealedEnd) {
            for (int i = tail.lowerBound(Math.max(a, sealedEnd)); i < tail.size && tail.steps[i] <= b; i++)
                s.addPoint(tail.steps[i], tail.values[i]);
        }
        return s;
    }

    /** Every point with step in [a, b], in order. */
    void collect(long a, long b, PointBuf out) {
        long sealedEnd = sealedBlocks << LogFormat.BLOCK_SHIFT;
        if (a < sealedEnd) {
            long bb = Math.min(b, sealedEnd - 1);
            forEach64(a >>> LogFormat.BLOCK_SHIFT, bb >>> LogFormat.BLOCK_SHIFT, e -> {
                if (e.count == 1 && e.lastStep >= a && e.lastStep <= bb) out.add(e.lastStep, e.last);
                else raw(e, a, bb, out, null);
            });
        }
        if (b >= sealedEnd) {
            for (int i = tail.lowerBound(Math.max(a, sealedEnd)); i < tail.size && tail.steps[i] <= b; i++)
                out.add(tail.steps[i], tail.values[i]);
        }
    }

    private void sealedAgg(long a, long b, BlockSummary s) {
        long gLo = (a + (1L << LogFormat.GROUP_SHIFT) - 1) >>> LogFormat.GROUP_SHIFT;
        long gHi = ((b + 1) >>> LogFormat.GROUP_SHIFT) - 1;
        if (gLo <= gHi) {
            if (a < gLo << LogFormat.GROUP_SHIFT) level64Agg(a, (gLo << LogFormat.GROUP_SHIFT) - 1, s);
            for (int i = lowerGroup(gLo); i < groups.size() && groups.get(i).blockNo <= gHi; i++) s.add(groups.get(i));
            if ((gHi + 1) << LogFormat.GROUP_SHIFT <= b) level64Agg((gHi + 1) << LogFormat.GROUP_SHIFT, b, s);
        } else {
            level64Agg(a, b, s);
        }
    }

    private void level64Agg(long a, long b, BlockSummary s) {
        forEach64(a >>> LogFormat.BLOCK_SHIFT, b >>> LogFormat.BLOCK_SHIFT, e -> {
            if (e.firstStep >= a && e.lastStep <= b) {
                s.add(e);
            } else {
                raw(e, a, b, null, s);
            }
        });
    }

    private interface EntryVisitor {
        void visit(BlockSummary e);
    }

    /** Level-64 entries of this tag for sealed blocks x..y (inclusive), found through their group (only groups that exist are visited). */
    private void forEach64(long x, long y, EntryVisitor v) {
        long gx = x >>> 6, gy = y >>> 6;
        for (int i = lowerGroup(gx); i < groups.size() && groups.get(i).blockNo <= gy; i++) visitGroup(groups.get(i).blockNo, x, y, v);
        long open = sealedBlocks >>> 6;
        if (open >= gx && open <= gy) visitGroup(open, x, y, v);
    }

    private void visitGroup(long g, long x, long y, EntryVisitor v) {
        for (BlockSummary e : groupEntries(g)) {
            if (e.blockNo < x) continue;
            if (e.blockNo > y || e.blockNo >= sealedBlocks) break;
            v.visit(e);
        }
    }

    private BlockSummary[] groupEntries(long g) {
        if (g == memoGroup) return memoEntries;
        if (level64 == null) return new BlockSummary[0];
        long start, count;
        int gi = lowerGroup(g);
        if (gi < groups.size() && groups.get(gi).blockNo == g) {
            start = groups.get(gi).aux1;
            count = groups.get(gi).aux2;
        } else if (g == sealedBlocks >>> 6) {
            start = openStart;
            try {
                count = Math.min(64, level64.size() / LogFormat.ENTRY - openStart);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            return new BlockSummary[0];
        }
        BlockSummary[] out = new BlockSummary[(int) Math.max(0, count)];
        if (out.length > 0) {
            entries.clear().limit(out.length * LogFormat.ENTRY);
            try {
                while (entries.hasRemaining()) {
                    if (level64.read(entries, start * LogFormat.ENTRY + entries.position()) < 0) break;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int got = entries.position() / LogFormat.ENTRY;
            if (got < out.length) out = Arrays.copyOf(out, got);
            for (int i = 0; i < out.length; i++) out[i] = BlockSummary.read(entries, i * LogFormat.ENTRY);
        }
        memoGroup = g;
        memoEntries = out;
        return out;
    }

    private int lowerGroup(long g) {
        int lo = 0, hi = groups.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (groups.get(mid).blockNo < g) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The block's raw points (CRC-checked) with step in [a, b], into out or s. */
    private void raw(BlockSummary e, long a, long b, PointBuf out, BlockSummary s) {
        if (memoRawStart != e.aux1) {
            memoRaw.size = 0;
            readRaw(e.aux1, e.aux2, memoRaw);
            memoRawStart = e.aux1;
        }
        for (int i = memoRaw.lowerBound(a); i < memoRaw.size && memoRaw.steps[i] <= b; i++) {
            if (out != null) out.add(memoRaw.steps[i], memoRaw.values[i]);
            else s.addPoint(memoRaw.steps[i], memoRaw.values[i]);
        }
    }
}
