package trainwatch.store;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunEvent;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

/**
 * Reads one run directory while a writer (maybe another process) appends.
 * The LogFollower trusts the log only up to the last record whose CRC checks
 * and summaries only for blocks the block index has sealed below that end; it
 * feeds the RecordCache (latest values, rare records), and series are answered
 * from the SummaryFiles plus raw reads of what is not sealed yet.
 */
final class FileRunReader implements RunReader {
    private final String id;
    private final RunPaths paths;
    private final Problems problems = new Problems();
    private final RecordCache cache = new RecordCache();
    private final SummaryFiles summaries;
    private final LogFollower follower;
    private boolean closed;

    FileRunReader(String id, RunPaths paths) {
        this.id = id;
        this.paths = paths;
        this.summaries = new SummaryFiles(paths);
        this.follower = new LogFollower(paths, new Feed(), problems);
    }

    /** Connects the follower to the caches. */
    private final class Feed implements LogFollower.Sink {
        @Override
        public void opened(long startBlock, long startOffset, long size) {
            TagTable tags = follower.tags();
            for (int t = 0; t < tags.size(); t++) {
                BlockSummary s = tags.name(t) == null ? null : summaries.lastBlockBelow(t, startBlock);
                if (s != null) cache.setLatest(t, s.lastStep, s.last);
            }
            summaries.release();
            RareIndex.visitBefore(paths, follower.frames(), startOffset, size, (off, b, pos, len) -> {
                cache.keep(decode(off, b, pos, len, problems));
                return true;
            }, problems);
        }

        @Override
        public void record(long off, ByteBuffer b, int pos, int len) {
            if (ScalarsRecord.is(b, pos)) cache.scalars(off, b, pos, len, problems);
            else cache.keep(decode(off, b, pos, len, problems));
        }

        @Override
        public void reset() {
            cache.clear();
            summaries.close();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized String configJson() {
        try {
            return Files.readString(paths.config());
        } catch (NoSuchFileException e) {
            throw new RunNotFoundException(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized StatusRecord state() {
        StatusRecord s = StatusFile.read(paths.status());
        if (s == null) throw new RunNotFoundException(id);
        refresh();
        return s.orNewerLogged(cache.statuses);
    }

    @Override
    public synchronized List<String> tags() {
        refresh();
        return follower.tags().names();
    }

    @Override
    public synchronized Series series(String tag, int points, long from, long to) {
        if (points < 1) throw new IllegalArgumentException("points must be >= 1, got " + points);
        try {
            TagSeries ts = tagSeries(tag);
            if (ts == null) return TagSeries.empty(tag, cache.lastSeq);
            Series s = ts.build(tag, cache.lastSeq, points, from, to, cache.lastStep);
            problems.addAll(ts.problems());
            return s;
        } finally {
            summaries.release(); // a reader kept open between queries holds no summary file
        }
    }

    @Override
    public synchronized Best best(String tag, Goal goal) {
        try {
            TagSeries ts = tagSeries(tag);
            if (ts == null) return null;
            Best b = ts.best(goal);
            problems.addAll(ts.problems());
            return b;
        } finally {
            summaries.release();
        }
    }

    /** The tag's points as summaries plus a raw tail, or null when the tag is unknown. */
    private TagSeries tagSeries(String tag) {
        if (!refresh()) return null;
        Integer tid = tag == null ? null : follower.tags().id(tag);
        if (tid == null) return null;
        long sealed = follower.sealedBlocks();
        return new TagSeries(tid, sealed, summaries.groups(tid, sealed), summaries.level64(tid), follower.frames(),
                follower.tailStart(), follower.validEnd());
    }

    @Override
    public synchronized Scalars latest() {
        refresh();
        return cache.latest(follower.tags());
    }

    @Override
    public synchronized long latestStep(String tag) {
        refresh();
        return cache.latestStep(follower.tags().id(tag));
    }

    /** The first record of evenly spaced 64-step blocks (the block index points at each) plus the newest record. */
    @Override
    public synchronized long[][] clock(int points) {
        refresh();
        PointBuf out = new PointBuf();
        FileChannel index = follower.index();
        long n = index == null ? 0 : follower.trustedIndexEntries();
        long k = Math.min(n, Math.max(1, points - 1L));
        long validEnd = follower.validEnd();
        ScalarsRecord rec = new ScalarsRecord();
        for (long i = 0; i < k; i++) {
            long off = BlockIndex.offset(index, k == 1 ? 0 : i * (n - 1) / (k - 1));
            follower.frames().visitOne(off, validEnd, (o, b, pos, len) -> {
                if (ScalarsRecord.is(b, pos)) {
                    rec.wrap(b, pos, len);
                    if (out.size == 0 || rec.step() > out.steps[out.size - 1]) out.add(rec.step(), rec.wallMs());
                }
                return true;
            });
        }
        if (cache.lastStep >= 0 && (out.size == 0 || cache.lastStep > out.steps[out.size - 1])) out.add(cache.lastStep, cache.lastWall);
        long[] walls = new long[out.size];
        for (int i = 0; i < out.size; i++) walls[i] = (long) out.values[i];
        return new long[][] {Arrays.copyOf(out.steps, out.size), walls};
    }

    @Override
    public synchronized long lastSeq() {
        refresh();
        return cache.lastSeq;
    }

    @Override
    public synchronized List<Long> filterSteps() {
        return FilterFiles.steps(paths.filters());
    }

    @Override
    public synchronized FilterSnapshot filters(long step) {
        return FilterFiles.read(paths.filters(), step);
    }

    @Override
    public synchronized List<Alert> alerts() {
        refresh();
        return List.copyOf(cache.alerts);
    }

    @Override
    public synchronized List<StatusChange> statusHistory() {
        refresh();
        return List.copyOf(cache.statuses);
    }

    @Override
    public synchronized List<Resumed> resumes() {
        refresh();
        return List.copyOf(cache.resumes);
    }

    @Override
    public synchronized List<CheckResult> checks() {
        refresh();
        List<String> found = new ArrayList<>();
        Map<String, CheckResult> newest = new LinkedHashMap<>();
        List<CheckResult> all = new ArrayList<>(cache.checks);
        all.addAll(CheckFiles.read(paths.checks(), found));
        all.sort(Comparator.comparingLong(CheckResult::wallMs));
        for (CheckResult c : all) newest.put(c.check(), c);
        problems.addAll(found);
        List<CheckResult> out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparingLong(CheckResult::wallMs));
        return out;
    }

    @Override
    public synchronized List<String> problems() {
        refresh();
        return problems.snapshot();
    }

    @Override
    public synchronized long positionAfter(long afterSeq) {
        if (!refresh()) return LogFormat.HEADER;
        long validEnd = follower.validEnd();
        if (afterSeq >= cache.lastSeq) return validEnd;
        long start = LogFormat.HEADER;
        long lo = 0, hi = follower.trustedIndexEntries();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (BlockIndex.seq(follower.index(), mid) <= afterSeq) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0) start = BlockIndex.offset(follower.index(), lo - 1);
        long[] found = {validEnd};
        follower.frames().scan(start, validEnd, (off, b, pos, len) -> {
            if (LogFormat.hasSeq(b, pos) && LogFormat.seq(b, pos) > afterSeq) {
                found[0] = off;
                return false;
            }
            return true;
        }, null);
        return found[0];
    }

    @Override
    public synchronized TailBatch readFrom(long position, int maxRecords) {
        if (!refresh()) return new TailBatch(List.of(), LogFormat.HEADER, List.of());
        long validEnd = follower.validEnd();
        List<String> found = new ArrayList<>();
        long from = Math.max(position, LogFormat.HEADER);
        if (from > validEnd) {
            found.add("position " + position + " is past the end of the log (" + validEnd + ")");
            return new TailBatch(List.of(), validEnd, found);
        }
        List<RunEvent> events = new ArrayList<>();
        long next = follower.frames().scan(from, validEnd, (off, b, pos, len) -> {
            if (LogFormat.hasSeq(b, pos) && events.size() >= maxRecords) return false;
            Object o = decode(off, b, pos, len, found);
            if (o instanceof RunEvent ev) events.add(ev);
            return true;
        }, found);
        problems.addAll(found);
        return new TailBatch(events, next, found);
    }

    /** A TagDef (learnt on the way), a Resumed, a RunEvent, or null when it does not decode. */
    private Object decode(long off, ByteBuffer b, int pos, int len, List<String> found) {
        try {
            Object o = RecordCodec.decode(b, pos, len, follower.tags()::name);
            if (o instanceof RecordCodec.TagDef d) follower.tags().put(d.id(), d.name(), off);
            return o;
        } catch (RecordCodec.Undecodable e) {
            found.add("record at byte " + off + ": " + e.getMessage());
            return null;
        }
    }

    private boolean refresh() {
        if (closed) throw new IllegalStateException("reader of run " + id + " is closed");
        return follower.refresh();
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            follower.close();
        } finally {
            summaries.close();
        }
    }
}
