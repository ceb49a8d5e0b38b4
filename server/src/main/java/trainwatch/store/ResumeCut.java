package trainwatch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A resume in progress: cut the log at {@code cutAt} (where the records of
 * steps >= fromStep begin), rebuild the side files, then append a RESUME record
 * numbered {@code seq} (the old run's highest seq + 1, so seq is never reused).
 * It is saved durably (index/resume.pending) before the log is cut, and every
 * writer open finishes a pending one: redoing it is harmless, because nothing
 * is appended after the RESUME record until the file is gone.
 */
record ResumeCut(long cutAt, long fromStep, long seq) {
    static ResumeCut read(RunPaths p) {
        try {
            String[] f = Files.readString(pending(p), StandardCharsets.UTF_8).trim().split("\t");
            return new ResumeCut(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            // Written atomically, so a damaged file is not ours to guess at: refuse rather than cut the wrong bytes.
            throw new IllegalStateException("unreadable " + pending(p) + ": " + e.getMessage(), e);
        }
    }

    void save(RunPaths p, FileOps ops) {
        AtomicFiles.write(ops, pending(p), (cutAt + "\t" + fromStep + "\t" + seq + "\n").getBytes(StandardCharsets.UTF_8), true);
    }

    /** Cuts the superseded records off the log (durably) and deletes the superseded filter snapshots. */
    void cut(RunPaths p, FileOps ops) {
        Path log = p.log();
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            if (ch.size() > cutAt) {
                ops.truncate(log, ch, cutAt);
                ops.force(log, ch);
            }
            for (long step : FilterFiles.steps(p.filters())) if (step >= fromStep) ops.delete(FilterFiles.file(p.filters(), step));
        } catch (IOException e) {
            throw IoErrors.unchecked(e, log, ops);
        }
    }

    static void clear(RunPaths p, FileOps ops) {
        try {
            ops.delete(pending(p));
            ops.syncDir(p.indexDir());
        } catch (IOException e) {
            throw IoErrors.unchecked(e, pending(p), ops);
        }
    }

    private static Path pending(RunPaths p) {
        return p.indexDir().resolve("resume.pending");
    }

    /**
     * Where the records of steps > lastKept begin in the valid log [HEADER, end):
     * the first record that carries a larger step, or the tag definitions right
     * before it (they belong to it). Starts at the block index entry of lastKept's block.
     */
    static long find(FileChannel index, FrameReader frames, long end, long lastKept) {
        long from = LogFormat.HEADER;
        if (lastKept >= 0) {
            long lo = 0, hi = BlockIndex.countBelow(index, end);
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (BlockIndex.blockNo(index, mid) <= lastKept >>> LogFormat.BLOCK_SHIFT) lo = mid + 1;
                else hi = mid;
            }
            if (lo > 0) from = BlockIndex.offset(index, lo - 1);
        }
        long[] at = {end, -1}; // cut, start of the tag definitions seen just before
        frames.scan(from, end, (off, b, pos, len) -> {
            if (!LogFormat.hasSeq(b, pos)) {
                if (at[1] < 0) at[1] = off;
                return true;
            }
            if (RecordCodec.stepOf(b, pos, len) > lastKept) {
                at[0] = at[1] >= 0 ? at[1] : off;
                return false;
            }
            at[1] = -1;
            return true;
        }, null);
        return at[0];
    }
}
