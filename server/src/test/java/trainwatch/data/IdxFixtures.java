package trainwatch.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: image i has every pixel = (i * 7 + p) % 256, label i % 10. */
public final class IdxFixtures {
    private IdxFixtures() {}

    public static byte pixel(int image, int p) {
        return (byte) ((image * 7 + p) % 256);
    }

    public static byte[] images(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < n; i++) for (int p = 0; p < rows * cols; p++) out.writeByte(pixel(i, p));
        return b.toByteArray();
    }

    public static byte[] labels(int n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000801);
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeByte(i % 10);
        return b.toByteArray();
    }

    public static void write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    /** A dataset directory (mnist or fashion-mnist) with n 28x28 training examples, plain or as .gz files. */
    public static void dataset(Path dataDir, String id, int n, boolean gzip) throws IOException {
        String ext = gzip ? ".gz" : "";
        write(dataDir.resolve(id).resolve("train-images-idx3-ubyte" + ext), images(n, 28, 28), gzip);
        write(dataDir.resolve(id).resolve("train-labels-idx1-ubyte" + ext), labels(n), gzip);
    }
}
