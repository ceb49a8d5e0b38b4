package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** index/rare.bin: the i64 log offset of every record that is not scalars or a tag definition, in log order. */
final class RareIndex {
    static final int ENTRY = 8;

    private RareIndex() {}

    static void append(SideOut rare, long offset) {
        rare.room(ENTRY).putLong(offset);
    }

    /** Hands each rare record before {@code before} to v (a reader opening late learns the alerts, checks... it skipped). */
    static void visitBefore(RunPaths p, FrameReader frames, long before, long size, FrameReader.Visitor v, List<String> problems) {
        byte[] all;
        try {
            all = Files.readAllBytes(p.rare());
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer r = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + ENTRY <= all.length; i += ENTRY) {
            long off = r.getLong(i);
            if (off >= before) break;
            if (!frames.visitOne(off, size, v)) problems.add("rare.bin points at byte " + off + " where no valid record starts");
        }
    }
}
