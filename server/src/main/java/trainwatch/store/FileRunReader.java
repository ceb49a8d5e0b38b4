package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * It trusts the log only up to the last record whose CRC checks (validEnd,
 * advanced on every call), summaries only for blocks the block index has
 * sealed below that end, and reads everything after that raw.
 */
final class FileRunReader implements RunReader {
    private static final int MAX_PROBLEMS = 100;

    private final String id;
    private final RunPaths paths;
    private TagTable tags = new TagTable();
    private final LinkedHashSet<String> problems = new LinkedHashSet<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final List<CheckResult> logChecks = new ArrayList<>();
    private final List<StatusChange> statuses = new ArrayList<>();
    private final Map<Integer, FileChannel> level64 = new HashMap<>();
    private final Map<Integer, GroupCache> groupCaches = new HashMap<>();
    private FileChannel log;
    private FileChannel index;
    private FrameReader frames;
    private long tagsBytes;
    private long validEnd;
    private long lastSeq;
    private long lastStep = -1;
    private long lastWall;
    private long[] latestStep = new long[16];
    private double[] latestValue = new double[16];
    private long sealedBlocks;
    private long tailStart = LogFormat.HEADER;
    private long indexSeen = -1;
    private long endSeen = -1;
    private boolean closed;

    FileRunReader(String id, RunPaths paths) {
        this.id = id;
        this.paths = paths;
        Arrays.fill(latestStep, -1);
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
    public synchronized RunState state() {
        RunState s = StatusFile.read(paths.status());
        if (s == null) throw new RunNotFoundException(id);
        return s;
    }

    @Override
    public synchronized List<String> tags() {
        refresh();
        return tags.names();
    }

    @Override
    public synchronized Series series(String tag, int points, long from, long to) {
        if (points < 1) throw new IllegalArgumentException("points must be >= 1, got " + points);
        refresh();
        Integer tid = tag == null ? null : tags.id(tag);
        if (tid == null || log == null) return TagSeries.empty(tag, lastSeq);
        List<String> found = new ArrayList<>();
        PointBuf tail = rawPoints(tid, tailStart, validEnd, found);
        TagSeries ts = new TagSeries(tid, sealedBlocks, groups(tid), channel64(tid), frames, tail, found);
        Series s = ts.build(tag, lastSeq, points, from, to, lastStep);
        found.forEach(this::problem);
        return s;
    }

    @Override
    public synchronized Scalars latest() {
        refresh();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        long step = 0;
        for (int t = 0; t < latestStep.length; t++) {
            if (latestStep[t] < 0 || tags.name(t) == null) continue;
            names.add(tags.name(t));
            values.add(latestValue[t]);
            step = Math.max(step, latestStep[t]);
        }
        return new Scalars(lastSeq, step, lastWall, names.toArray(new String[0]), values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public synchronized long latestStep(String tag) {
        refresh();
        Integer t = tags.id(tag);
        return t == null || t >= latestStep.length ? -1 : latestStep[t];
    }

    /** The first record of evenly spaced 64-step blocks (the block index points at each) plus the newest record. */
    @Override
    public synchronized long[][] clock(int points) {
        refresh();
        PointBuf out = new PointBuf();
        if (log != null && index != null) {
            long n = BlockIndex.countBelow(index, validEnd);
            long k = Math.min(n, Math.max(1, points - 1L));
            for (long i = 0; i < k; i++) {
                long off = BlockIndex.offset(index, k == 1 ? 0 : i * (n - 1) / (k - 1));
                frames.visitOne(off, validEnd, (o, b, pos, len) -> {
                    if (b.get(pos) == LogFormat.SCALARS) {
                        long step = b.getLong(pos + 9);
                        if (out.size == 0 || step > out.steps[out.size - 1]) out.add(step, b.getLong(pos + 17));
                    }
                    return true;
                });
            }
        }
        if (lastStep >= 0 && (out.size == 0 || lastStep > out.steps[out.size - 1])) out.add(lastStep, lastWall);
        long[] walls = new long[out.size];
        for (int i = 0; i < out.size; i++) walls[i] = (long) out.values[i];
        return new long[][] {Arrays.copyOf(out.steps, out.size), walls};
    }

    @Override
    public synchronized long lastSeq() {
        refresh();
        return lastSeq;
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
        return List.copyOf(alerts);
    }

    /** Status changes recorded in the log, oldest first. */
    public synchronized List<StatusChange> statusHistory() {
        refresh();
        return List.copyOf(statuses);
    }

    @Override
    public synchronized List<CheckResult> checks() {
        refresh();
        List<String> found = new ArrayList<>();
        Map<String, CheckResult> newest = new LinkedHashMap<>();
        List<CheckResult> all = new ArrayList<>(logChecks);
        all.addAll(CheckFiles.read(paths.checks(), found));
        all.sort(Comparator.comparingLong(CheckResult::wallMs));
        for (CheckResult c : all) newest.put(c.check(), c);
        found.forEach(this::problem);
        List<CheckResult> out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparingLong(CheckResult::wallMs));
        return out;
    }

    @Override
    public synchronized List<String> problems() {
        refresh();
        return List.copyOf(problems);
    }

    @Override
    public synchronized long positionAfter(long afterSeq) {
        refresh();
        if (log == null) return LogFormat.HEADER;
        if (afterSeq >= lastSeq) return validEnd;
        long start = LogFormat.HEADER;
        long lo = 0, hi = trustedIndexEntries();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (BlockIndex.seq(index, mid) <= afterSeq) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0) start = BlockIndex.offset(index, lo - 1);
        long[] found = {validEnd};
        frames.scan(start, validEnd, (off, b, pos, len) -> {
            if (b.get(pos) != LogFormat.TAG_DEF && b.getLong(pos + 1) > afterSeq) {
                found[0] = off;
                return false;
            }
            return true;
        }, null);
        return found[0];
    }

    @Override
    public synchronized TailBatch readFrom(long position, int maxRecords) {
        refresh();
        if (log == null) return new TailBatch(List.of(), LogFormat.HEADER, List.of());
        List<String> found = new ArrayList<>();
        long from = Math.max(position, LogFormat.HEADER);
        if (from > validEnd) {
            found.add("position " + position + " is past the end of the log (" + validEnd + ")");
            return new TailBatch(List.of(), validEnd, found);
        }
        List<RunEvent> events = new ArrayList<>();
        long next = frames.scan(from, validEnd, (off, b, pos, len) -> {
            if (b.get(pos) != LogFormat.TAG_DEF && events.size() >= maxRecords) return false;
            Object o = decode(off, b, pos, len, found);
            if (o instanceof RunEvent ev) events.add(ev);
            return true;
        }, found);
        found.forEach(this::problem);
        return new TailBatch(events, next, found);
    }

    private Object decode(long off, ByteBuffer b, int pos, int len, List<String> found) {
        try {
            Object o = RecordCodec.decode(b, pos, len, tags::name);
            if (o instanceof RecordCodec.TagDef d) tags.put(d.id(), d.name(), off);
            return o;
        } catch (RecordCodec.Undecodable e) {
            found.add("record at byte " + off + ": " + e.getMessage());
            return null;
        }
    }

    /** Catches up with the writer: new records, new tag names, newly sealed blocks. */
    private void refresh() {
        if (closed) throw new IllegalStateException("reader of run " + id + " is closed");
        try {
            if (log == null) {
                if (!Files.exists(paths.log())) return;
                open();
            }
            long size = log.size();
            if (size < validEnd) { // a writer reopened and cut a torn tail we had not trusted anyway
                reset();
                open();
                size = log.size();
            }
            loadTags();
            if (size > validEnd) validEnd = frames.scan(validEnd, size, this::follow, new ProblemSink());
            updateSealed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open() throws IOException {
        log = FileChannel.open(paths.log(), StandardOpenOption.READ);
        frames = new FrameReader(log, 1 << 20);
        index = Files.exists(paths.blockIndex()) ? FileChannel.open(paths.blockIndex(), StandardOpenOption.READ) : null;
        long size = log.size();
        ByteBuffer head = ByteBuffer.allocate(LogFormat.HEADER);
        log.read(head, 0);
        if (size >= LogFormat.HEADER && !Arrays.equals(head.array(), LogFormat.MAGIC))
            problem("events.log has no trainwatch header");
        loadTags();
        // Start reading at the newest block-index entry that points at a valid record; summaries cover what lies before.
        long start = LogFormat.HEADER;
        long startBlock = 0;
        long k = index == null ? -1 : BlockIndex.lastValid(index, frames, size);
        if (k >= 0) {
            start = BlockIndex.offset(index, k);
            startBlock = BlockIndex.blockNo(index, k);
        }
        for (int t = 0; t < tags.size(); t++) latestFromSummaries(t, startBlock);
        loadRare(start, size);
        validEnd = start;
    }

    /** The last sealed summary entry (block below {@code below}) gives a tag's latest value before the scan start. */
    private void latestFromSummaries(int t, long below) throws IOException {
        if (tags.name(t) == null || below == 0 || !Files.exists(paths.summary(t, false))) return;
        FileChannel c = channel64(t);
        long n = c.size() / LogFormat.ENTRY;
        ByteBuffer e = ByteBuffer.allocate(LogFormat.ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = n - 1; i >= 0; i--) {
            e.clear();
            c.read(e, i * LogFormat.ENTRY);
            Stats s = Stats.read(e, 0);
            if (s.blockNo < below) {
                setLatest(t, s.lastStep, s.last);
                return;
            }
        }
    }

    /** Alerts, checks and status changes before the scan start, found through index/rare.bin. */
    private void loadRare(long before, long size) throws IOException {
        if (!Files.exists(paths.rare())) return;
        byte[] all = Files.readAllBytes(paths.rare());
        ByteBuffer r = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<String> found = new ArrayList<>();
        for (int i = 0; i + 8 <= all.length; i += 8) {
            long off = r.getLong(i);
            if (off >= before) break;
            if (!frames.visitOne(off, size, (o, b, pos, len) -> {
                keep(decode(o, b, pos, len, found));
                return true;
            })) found.add("rare.bin points at byte " + off + " where no valid record starts");
        }
        found.forEach(this::problem);
    }

    private boolean follow(long off, ByteBuffer b, int pos, int len) {
        int type = b.get(pos);
        if (type == LogFormat.SCALARS) {
            long seq = b.getLong(pos + 1), step = b.getLong(pos + 9), wall = b.getLong(pos + 17);
            int n = b.getShort(pos + 25) & 0xffff;
            if (27 + 10 * n != len) {
                problem("scalars record at byte " + off + " has a wrong length");
                return true;
            }
            for (int i = 0; i < n; i++) {
                int at = pos + 27 + 10 * i;
                setLatest(b.getShort(at) & 0xffff, step, b.getDouble(at + 2));
            }
            lastSeq = Math.max(lastSeq, seq);
            lastStep = Math.max(lastStep, step);
            lastWall = wall;
            return true;
        }
        List<String> found = new ArrayList<>();
        keep(decode(off, b, pos, len, found));
        found.forEach(this::problem);
        return true;
    }

    private void keep(Object o) {
        if (o instanceof RunEvent ev) lastSeq = Math.max(lastSeq, ev.seq());
        if (o instanceof Alert a) alerts.add(a);
        else if (o instanceof CheckResult c) logChecks.add(c);
        else if (o instanceof StatusChange s) statuses.add(s);
    }

    private void setLatest(int t, long step, double v) {
        if (t >= latestStep.length) {
            int old = latestStep.length;
            latestStep = Arrays.copyOf(latestStep, Math.max(t + 1, old * 2));
            latestValue = Arrays.copyOf(latestValue, latestStep.length);
            Arrays.fill(latestStep, old, latestStep.length, -1);
        }
        latestStep[t] = step;
        latestValue[t] = v;
        lastStep = Math.max(lastStep, step);
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

    /** Number of leading index entries whose record lies inside the valid log. */
    private long trustedIndexEntries() {
        return index == null ? 0 : BlockIndex.countBelow(index, validEnd);
    }

    /** Points of one tag in records [from, to), CRC-checked. */
    private PointBuf rawPoints(int tid, long from, long to, List<String> found) {
        PointBuf p = new PointBuf();
        frames.scan(from, to, (off, b, pos, len) -> {
            if (b.get(pos) != LogFormat.SCALARS) return true;
            long step = b.getLong(pos + 9);
            int n = b.getShort(pos + 25) & 0xffff;
            if (27 + 10 * n != len) return true;
            for (int i = 0; i < n; i++) {
                int at = pos + 27 + 10 * i;
                if ((b.getShort(at) & 0xffff) == tid) p.add(step, b.getDouble(at + 2));
            }
            return true;
        }, found);
        return p;
    }

    private FileChannel channel64(int tid) {
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

    private List<Stats> groups(int tid) {
        GroupCache c = groupCaches.computeIfAbsent(tid, t -> new GroupCache(paths.summary(t, true)));
        return c.sealed(sealedBlocks);
    }

    private void problem(String p) {
        if (problems.size() < MAX_PROBLEMS) problems.add(p);
    }

    /** Adapts scan problems into the reader's bounded set. */
    private final class ProblemSink extends ArrayList<String> {
        @Override
        public boolean add(String s) {
            problem(s);
            return true;
        }
    }

    private void reset() throws IOException {
        closeChannels();
        tags = new TagTable();
        alerts.clear();
        logChecks.clear();
        statuses.clear();
        groupCaches.clear();
        Arrays.fill(latestStep, -1);
        tagsBytes = 0;
        validEnd = 0;
        lastSeq = 0;
        lastStep = -1;
        sealedBlocks = 0;
        tailStart = LogFormat.HEADER;
        indexSeen = endSeen = -1;
    }

    private void closeChannels() throws IOException {
        if (log != null) log.close();
        if (index != null) index.close();
        for (FileChannel c : level64.values()) if (c != null) c.close();
        level64.clear();
        log = null;
        index = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            closeChannels();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
