package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;

/**
 * The framed-log writer (docs/run-format.md). Records go through a buffer:
 * no syscall per record, no fsync per record (the page cache survives kill -9);
 * flush() hands the log, then the summaries, then the block index to the OS;
 * status changes and close() also fsync. Not thread-safe beyond its own
 * synchronized methods (the trainer thread plus a shutdown hook).
 */
final class FileRunWriter implements RunWriter {
    private static final int BUFFER = 256 * 1024;
    private static final long AUTO_FLUSH_MS = 200;

    private final String id;
    private final RunPaths paths;
    private final Clock clock;
    private final FileOps ops;
    private final TrainerLock lock;
    private final FileChannel log;
    private final SideOut index;
    private final SideOut rare;
    private final SummaryBuilder sums;
    private final TagTable tags = new TagTable();
    private final CRC32C crc = new CRC32C();
    private final List<Long> filterSteps;
    private final List<String> problems = new ArrayList<>();
    private final long pid = ProcessHandle.current().pid();
    /** Starts small and grows to BUFFER as records arrive between flushes (a remote run's writer, one batch a second, stays small). */
    private static final int INITIAL_BUFFER = 16 * 1024;
    private ByteBuffer buf = ByteBuffer.allocate(INITIAL_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long fileEnd;
    private long forcedEnd = -1;
    private int frameStart;
    private long nextSeq;
    private long lastStep;
    /** After a resume: the first step the new session may write (the steps before it were kept from the old one). */
    private long minStep;
    private long lastFlushMs;
    private int[] ids = new int[16];
    private String[] lastTags;
    private String[] lastTagsCopy;
    private boolean closed;
    /** holdUntilFlush(): no automatic flush, the buffer grows, until the next flush(). */
    private boolean held;

    /** Recovers the run under a lock the caller holds (WriterOpening). */
    FileRunWriter(String id, RunPaths paths, Clock clock, FileOps ops, TrainerLock lock) throws IOException {
        this.id = id;
        this.paths = paths;
        this.clock = clock;
        this.ops = ops;
        this.lock = lock;
        Files.createDirectories(paths.indexDir());
        Files.createDirectories(paths.filters());
        log = FileChannel.open(paths.log(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (log.size() < LogFormat.HEADER) {
            ops.truncate(paths.log(), log, 0);
            ByteBuffer head = ByteBuffer.wrap(LogFormat.MAGIC);
            while (head.hasRemaining()) ops.write(paths.log(), log, head, head.position());
        } else {
            ByteBuffer head = ByteBuffer.allocate(LogFormat.HEADER);
            log.read(head, 0);
            if (!Arrays.equals(head.array(), LogFormat.MAGIC))
                throw new IllegalStateException("run " + id + ": events.log is not a trainwatch log (bad header)");
        }
        index = new SideOut(paths.blockIndex(), ops);
        index.truncate(index.size() / LogFormat.INDEX_ENTRY * LogFormat.INDEX_ENTRY);
        rare = new SideOut(paths.rare(), ops);
        rare.truncate(rare.size() / RareIndex.ENTRY * RareIndex.ENTRY);
        sums = new SummaryBuilder(paths, ops, index);
        Recovery.Found r = Recovery.run(paths, ops, log, tags, index, rare, sums, problems);
        fileEnd = r.end();
        nextSeq = r.nextSeq();
        lastStep = r.lastStep();
        minStep = r.minStep();
        sums.flush();
        rare.flush();
        filterSteps = FilterFiles.steps(paths.filters());
        lastFlushMs = clock.millis();
    }

    /** Where the records of steps > lastKept begin (see ResumeCut). */
    long cutAfter(long lastKept) {
        return ResumeCut.find(index.channel(), new FrameReader(log, 1 << 20), fileEnd, lastKept);
    }

    long nextSeq() {
        return nextSeq;
    }

    /** Appends the RESUME record of a resume whose cut is done, durably; later scalars must start at its fromStep. */
    void appendResume(ResumeCut r) {
        nextSeq = Math.max(nextSeq, r.seq());
        long seq = nextSeq++;
        long wall = clock.millis();
        begin(RecordCodec.RESUME_SIZE);
        long start = fileEnd + frameStart;
        RecordCodec.encodeResume(buf, seq, wall, r.fromStep());
        end();
        minStep = r.fromStep();
        RareIndex.append(rare, start);
        flush();
        force();
    }

    /** What recovery found on open (torn tail cut, corrupt stretches skipped). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public synchronized long scalars(long step, String[] tagNames, double[] values) {
        return scalars(step, clock.millis(), tagNames, values);
    }

    @Override
    public synchronized long scalars(long step, long wallMs, String[] tagNames, double[] values) {
        ensureOpen();
        if (tagNames.length != values.length)
            throw new IllegalArgumentException(tagNames.length + " tags but " + values.length + " values");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (step < lastStep)
            throw new IllegalArgumentException("steps of a run must not decrease: got " + step + " after " + lastStep);
        if (step < minStep)
            throw new IllegalArgumentException("steps of a run must not decrease: got " + step + " after resuming from step " + minStep);
        int n = tagNames.length;
        if (n > 0xffff) throw new IllegalArgumentException("at most 65535 values per record, got " + n);
        resolve(tagNames);
        long wall = wallMs;
        long seq = nextSeq++;
        begin(ScalarsRecord.size(n));
        long start = fileEnd + frameStart;
        ScalarsRecord.encode(buf, seq, step, wall, ids, values, n);
        long end = end();
        sums.onScalars(start, end, seq, step, ids, values, n);
        lastStep = step;
        maybeFlush(clock.millis());
        return seq;
    }

    /** Readers see records at the latest AUTO_FLUSH_MS after they were written, even if the trainer never flushes. */
    private void maybeFlush(long wall) {
        if (!held && wall - lastFlushMs >= AUTO_FLUSH_MS) flush();
    }

    @Override
    public synchronized void holdUntilFlush() {
        held = true;
    }

    /** Room for n more bytes: a bigger buffer (while held, or below BUFFER), else a flush. */
    private void makeRoom(int n) {
        if (buf.remaining() >= n) return;
        if (held || buf.capacity() < BUFFER) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            buf = bigger.put(buf);
            return;
        }
        flush();
        if (buf.capacity() < n) buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Tag ids of a record's tags, defining new ones (the trainer usually passes the same array each step). */
    private void resolve(String[] names) {
        if (names == lastTags && Arrays.equals(names, lastTagsCopy)) return;
        if (ids.length < names.length) ids = new int[names.length];
        List<String> fresh = new ArrayList<>();
        for (String n : names) if (tags.id(n) == null && !fresh.contains(n)) fresh.add(n);
        if (!fresh.isEmpty()) define(fresh);
        for (int i = 0; i < names.length; i++) ids[i] = tags.id(names[i]);
        lastTags = names;
        lastTagsCopy = names.clone();
    }

    /**
     * Defines new tags: tags.tsv names them (durably, one rewrite for all of
     * them: a trainer defines its tags together on its first step) before their
     * TAG_DEF records are buffered, so readers and recovery always know a name
     * before the log can hold a record using it.
     */
    private void define(List<String> names) {
        for (String n : names) new Scalars(0, 0, 0, new String[] {n}, new double[] {0}); // the shared tag-name rule
        if (tags.size() + names.size() > 0x10000) throw new IllegalArgumentException("too many tags (65536)");
        byte[][] utf8 = new byte[names.size()][];
        int total = 0;
        for (int i = 0; i < utf8.length; i++) {
            utf8[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            total += LogFormat.FRAME + RecordCodec.tagDefSize(utf8[i]);
        }
        makeRoom(total); // room for all of them now, so the offsets below are where they will be
        long first = fileEnd + buf.position();
        int firstId = tags.size();
        long at = first;
        for (int i = 0; i < utf8.length; i++) {
            tags.put(firstId + i, names.get(i), at);
            at += LogFormat.FRAME + RecordCodec.tagDefSize(utf8[i]);
        }
        try {
            AtomicFiles.write(ops, paths.tags(), tags.linesBefore(Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8), true);
        } catch (RuntimeException e) {
            tags.retainBefore(first);
            throw e;
        }
        for (int i = 0; i < utf8.length; i++) {
            begin(RecordCodec.tagDefSize(utf8[i]));
            RecordCodec.encodeTagDef(buf, firstId + i, utf8[i]);
            end();
        }
    }

    @Override
    public synchronized long filters(long step, int[] shape, float[] data) {
        return filters(step, clock.millis(), shape, data);
    }

    @Override
    public synchronized long filters(long step, long wall, int[] shape, float[] data) {
        ensureOpen();
        if (data == null) throw new IllegalArgumentException("filter data must not be null");
        FilterSnapshot s = new FilterSnapshot(nextSeq, step, wall, shape, data);
        FilterFiles.write(ops, paths.filters(), s);
        if (!filterSteps.contains(step)) {
            filterSteps.add(step);
            filterSteps.sort(null);
        }
        FilterFiles.thin(ops, paths.filters(), filterSteps);
        long seq = nextSeq++;
        begin(RecordCodec.FILTER_SIZE);
        long start = fileEnd + frameStart;
        RecordCodec.encodeFilter(buf, seq, step, wall, shape);
        end();
        RareIndex.append(rare, start);
        maybeFlush(clock.millis());
        return seq;
    }

    @Override
    public synchronized long status(RunStatus status, String reason) {
        ensureOpen();
        long wall = clock.millis();
        long seq = rareRecord(LogFormat.STATUS, -1, wall, status.wire(), reason == null ? "" : reason);
        flush();
        force();
        StatusRecord old = StatusFile.read(paths.status());
        long created = old != null ? old.createdMs() : wall;
        StatusFile.write(ops, paths.status(), new StatusRecord(status, reason, wall, pid, created));
        return seq;
    }

    @Override
    public synchronized long alert(long step, String kind, String tag, String message, String advice) {
        return alert(step, clock.millis(), kind, tag, message, advice);
    }

    @Override
    public synchronized long alert(long step, long wall, String kind, String tag, String message, String advice) {
        ensureOpen();
        Alert a = new Alert(nextSeq, step, wall, kind, tag, message, advice);
        return rareRecord(LogFormat.ALERT, step, wall, a.kind(), a.tag(), a.message(), a.advice());
    }

    @Override
    public synchronized long check(String check, String outcome, String summary, String detailsJson) {
        ensureOpen();
        long wall = clock.millis();
        CheckResult c = new CheckResult(nextSeq, wall, check, outcome, summary, detailsJson);
        return rareRecord(LogFormat.CHECK, -1, wall, c.check(), c.outcome(), c.summary(), c.detailsJson());
    }

    /** STATUS/ALERT/CHECK: seq, [step,] wall, strings; its offset goes to index/rare.bin. */
    private long rareRecord(byte type, long step, long wall, String... strings) {
        byte[][] utf8 = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) utf8[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        int size = RecordCodec.textSize(type, utf8);
        if (size > LogFormat.MAX_PAYLOAD) throw new IllegalArgumentException("record too large: " + size + " bytes");
        long seq = nextSeq++;
        begin(size);
        long start = fileEnd + frameStart;
        RecordCodec.encodeText(buf, type, seq, step, wall, utf8);
        end();
        RareIndex.append(rare, start);
        maybeFlush(clock.millis());
        return seq;
    }

    private void begin(int payload) {
        makeRoom(LogFormat.FRAME + payload);
        frameStart = buf.position();
        buf.position(frameStart + LogFormat.FRAME);
    }

    /** Seals the frame: length and CRC32C of the payload; returns the log position after it. */
    private long end() {
        int len = buf.position() - frameStart - LogFormat.FRAME;
        crc.reset();
        crc.update(buf.array(), frameStart + LogFormat.FRAME, len);
        buf.putInt(frameStart, len).putInt(frameStart + 4, (int) crc.getValue());
        return fileEnd + buf.position();
    }

    @Override
    public Path checkpointDir() {
        try {
            return Files.createDirectories(paths.checkpoints());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hands the buffered records to the OS. When the disk is full the records
     * already flushed stay intact: a partly written frame is cut off again and
     * the buffer is kept, so a later flush (after space was freed) retries.
     */
    @Override
    public synchronized void flush() {
        if (closed) return;
        buf.flip();
        long at = fileEnd;
        try {
            while (buf.hasRemaining()) at += ops.write(paths.log(), log, buf, at);
        } catch (IOException e) {
            buf.position(buf.limit()).limit(buf.capacity());
            try {
                ops.truncate(paths.log(), log, fileEnd);
            } catch (IOException | RuntimeException ignored) {
                // a torn tail is cut by the next open; readers never trust it
            }
            throw IoErrors.unchecked(e, paths.log(), ops);
        }
        fileEnd = at;
        buf.clear();
        if (buf.capacity() > BUFFER) buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN); // a big held batch grew it
        held = false;
        sums.flush();
        rare.flush();
        lastFlushMs = clock.millis();
    }

    private void force() {
        try {
            if (fileEnd != forcedEnd) ops.force(paths.log(), log);
            forcedEnd = fileEnd;
        } catch (IOException e) {
            throw IoErrors.unchecked(e, paths.log(), ops);
        }
        sums.force();
        rare.force();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        try {
            flush();
            force();
        } finally {
            try {
                closeFiles();
            } finally {
                lock.close();
            }
        }
    }

    @Override
    public synchronized void abandon() {
        if (closed) return;
        try {
            closeFiles();
        } finally {
            lock.close();
        }
    }

    /** Closes every file but keeps the trainer lock (a resume reopens under the same lock). */
    void closeFiles() {
        closed = true;
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sums.close();
            rare.close();
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("writer of run " + id + " is closed");
    }
}
