package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import trainwatch.event.FilterSnapshot;

/**
 * filters/<step>.f32: one snapshot per file so old ones can be thinned.
 * Layout: "TWF1", seq i64, wallMs i64, step i64, shape 4 x i32, then the
 * float32 values, little-endian.
 */
final class FilterFiles {
    static final int KEEP = 200;
    private static final int HEAD = 4 + 8 * 3 + 4 * 4;
    private static final byte[] MAGIC = {'T', 'W', 'F', '1'};

    private FilterFiles() {}

    static Path file(Path dir, long step) {
        return dir.resolve(step + ".f32");
    }

    /** Visible atomically but not fsynced: snapshots are thinned away anyway, and a lost one reads as "none at that step". */
    static void write(FileOps ops, Path dir, FilterSnapshot s) {
        ByteBuffer head = ByteBuffer.allocate(HEAD).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putLong(s.seq()).putLong(s.wallMs()).putLong(s.step());
        for (int d : s.shape()) head.putInt(d);
        head.flip();
        ByteBuffer body = ByteBuffer.allocate(s.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(s.data());
        AtomicFiles.write(ops, file(dir, s.step()), new ByteBuffer[] {head, body}, false);
    }

    /** The snapshot at step, or null when there is none (thinned or never taken). */
    static FilterSnapshot read(Path dir, long step) {
        byte[] all;
        try {
            all = Files.readAllBytes(file(dir, step));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < HEAD || b.get(0) != 'T' || b.get(3) != '1')
            throw new IllegalStateException("damaged filter snapshot file for step " + step);
        b.position(4);
        long seq = b.getLong(), wall = b.getLong(), st = b.getLong();
        int[] shape = {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
        float[] data = new float[(all.length - HEAD) / 4];
        b.asFloatBuffer().get(data);
        return new FilterSnapshot(seq, st, wall, shape, data);
    }

    /** Seq stored in a snapshot's header, or -1 when unreadable. */
    static long seq(Path dir, long step) {
        try {
            byte[] all = Files.readAllBytes(file(dir, step));
            return all.length >= HEAD ? ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(4) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static List<Long> steps(Path dir) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.f32")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    out.add(Long.parseLong(n.substring(0, n.length() - 4)));
                } catch (NumberFormatException ignored) {
                    // not a snapshot file
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(out);
        return out;
    }

    /** Deletes snapshots until at most KEEP remain (Thinning's choice). */
    static void thin(FileOps ops, Path dir, List<Long> steps) {
        int v;
        while ((v = Thinning.victim(steps, KEEP)) >= 0) {
            try {
                ops.delete(file(dir, steps.get(v)));
            } catch (IOException e) {
                throw IoErrors.unchecked(e, dir, ops);
            }
            steps.remove(v);
        }
    }
}
