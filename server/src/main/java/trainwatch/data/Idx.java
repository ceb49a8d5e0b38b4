package trainwatch.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format: big-endian magic 0x0803 = unsigned-byte
 * images [n][rows][cols], 0x0801 = unsigned-byte labels [n]), plain or
 * gzip-compressed (recognised by content, not by name).
 */
public final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** Images [from, from+count) of a file, row-major, scaled to [0, 1]; rows x cols must match {@code rows}/{@code cols}. */
    public static float[] readImages(Path file, int from, int count, int rows, int cols) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) throw bad(file, String.format("is not an IDX image file (magic 0x%08x, expected 0x%08x)", magic, IMAGES_MAGIC));
            int n = in.readInt(), r = in.readInt(), c = in.readInt();
            if (r != rows || c != cols) throw bad(file, "has " + r + "x" + c + " images, expected " + rows + "x" + cols);
            checkRange(file, n, from, count);
            int size = rows * cols;
            in.skipNBytes((long) from * size);
            byte[] raw = new byte[count * size];
            in.readFully(raw);
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = (raw[i] & 0xff) / 255f;
            return out;
        } catch (EOFException e) {
            throw bad(file, "is truncated");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Labels [from, from+count); each must be in [0, numClasses). */
    public static int[] readLabels(Path file, int from, int count, int numClasses) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) throw bad(file, String.format("is not an IDX label file (magic 0x%08x, expected 0x%08x)", magic, LABELS_MAGIC));
            int n = in.readInt();
            checkRange(file, n, from, count);
            in.skipNBytes(from);
            byte[] raw = new byte[count];
            in.readFully(raw);
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = raw[i] & 0xff;
                if (out[i] >= numClasses) throw bad(file, "has label " + out[i] + " at index " + (from + i) + " (classes are 0.." + (numClasses - 1) + ")");
            }
            return out;
        } catch (EOFException e) {
            throw bad(file, "is truncated");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The example count in the header. */
    public static int count(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC && magic != LABELS_MAGIC) throw bad(file, String.format("is not an IDX file (magic 0x%08x)", magic));
            return in.readInt();
        } catch (EOFException e) {
            throw bad(file, "is truncated");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static void checkRange(Path file, int n, int from, int count) {
        if (n < 0 || from < 0 || count < 0 || (long) from + count > n)
            throw bad(file, "has " + n + " examples, but examples " + from + ".." + ((long) from + count - 1) + " are needed");
    }

    private static DatasetException bad(Path file, String what) {
        return new DatasetException(file + " " + what);
    }

    private static DatasetException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) return new DatasetException(file + " does not exist");
        return new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
}
