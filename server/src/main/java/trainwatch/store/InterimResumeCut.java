package trainwatch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Interim resume support (until the store supersedes steps in place): before a
 * resumed trainer appends, the log is cut at the first record whose step is >=
 * the checkpoint's step, so readers see one value per step, the resumed one.
 * Seq keeps increasing across the cut: the writer continues after the highest
 * seq the log ever held, so a live client's {@code after=SEQ} stays valid.
 * Called with the trainer lock held; recovery then rebuilds the side files.
 */
final class InterimResumeCut {
    /** Where to cut and the seq the writer must continue after. */
    record Cut(long offset, long nextSeq) {}

    private InterimResumeCut() {}

    static Cut find(RunPaths p, long fromStep) throws IOException {
        if (!java.nio.file.Files.exists(p.log())) return new Cut(0, 1); // never written: nothing to supersede
        try (FileChannel log = FileChannel.open(p.log(), StandardOpenOption.READ)) {
            long size = log.size();
            if (size <= LogFormat.HEADER) return new Cut(size, 1);
            FrameReader frames = new FrameReader(log, 1 << 20);
            long[] cut = {-1};
            long[] next = {1};
            long end = frames.scan(LogFormat.HEADER, size, (off, b, pos, len) -> {
                int type = b.get(pos);
                if (type == LogFormat.TAG_DEF) return true;
                next[0] = Math.max(next[0], b.getLong(pos + 1) + 1);
                boolean stepped = type == LogFormat.SCALARS || type == LogFormat.FILTER || type == LogFormat.ALERT;
                if (cut[0] < 0 && stepped && b.getLong(pos + 9) >= fromStep) cut[0] = off;
                return true;
            }, null);
            return new Cut(cut[0] < 0 ? end : cut[0], next[0]);
        }
    }

    static void apply(RunPaths p, Cut cut) throws IOException {
        if (!java.nio.file.Files.exists(p.log())) return;
        try (FileChannel log = FileChannel.open(p.log(), StandardOpenOption.WRITE)) {
            if (log.size() > cut.offset()) {
                log.truncate(cut.offset());
                log.force(true);
            }
        }
    }
}
