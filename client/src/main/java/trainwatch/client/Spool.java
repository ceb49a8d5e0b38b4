package trainwatch.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every record of a run, in seq order, in a local file ("SEQ TAB JSON" lines): the training thread
 * appends (a buffered write, never a network call), the sender reads batches from the first seq the
 * server has not acknowledged. Memory stays bounded however long the server is away; the file is the
 * offline spool, replayed in order when the server answers again, and deleted once all is delivered.
 */
final class Spool implements Closeable {
    private static final int BUFFER = 64 * 1024;
    private static final int INDEX_EVERY = 256;

    private final Path file;
    private final FileChannel ch;
    private final StringBuilder pending = new StringBuilder();
    private long nextSeq;
    private long written;
    /** offsets[i] = file offset of the line with seq i * INDEX_EVERY. */
    private long[] offsets = new long[64];
    private int indexed;
    private long pendingBytes;

    Spool(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool file " + file, e);
        }
    }

    Path file() {
        return file;
    }

    /** Appends one record (its JSON object text); returns its seq. */
    synchronized long append(String recordJson) {
        long seq = nextSeq++;
        if (seq % INDEX_EVERY == 0) {
            if (indexed == offsets.length) offsets = Arrays.copyOf(offsets, indexed * 2);
            offsets[indexed++] = written + pendingBytes;
        }
        String line = seq + "\t" + recordJson + "\n";
        pending.append(line);
        pendingBytes += line.getBytes(StandardCharsets.UTF_8).length;
        if (pending.length() >= BUFFER) flush();
        return seq;
    }

    synchronized long nextSeq() {
        return nextSeq;
    }

    synchronized void flush() {
        if (pending.length() == 0) return;
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) written += ch.write(b, written);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool file " + file, e);
        }
        pending.setLength(0);
        pendingBytes = 0;
    }

    record Line(long seq, String json) {}

    /** Up to maxRecords records (and about maxBytes) starting at seq {@code from}, in order. */
    List<Line> read(long from, int maxRecords, int maxBytes) {
        long start;
        synchronized (this) {
            flush();
            if (from >= nextSeq) return List.of();
            start = offsets[(int) (from / INDEX_EVERY)];
        }
        List<Line> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(Math.max(64 * 1024, Math.min(maxBytes, 8 << 20)));
        long pos = start;
        int bytes = 0;
        byte[] carry = new byte[0];
        try {
            while (out.size() < maxRecords && bytes < maxBytes) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) break;
                pos += n;
                byte[] chunk = new byte[carry.length + n];
                System.arraycopy(carry, 0, chunk, 0, carry.length);
                System.arraycopy(buf.array(), 0, chunk, carry.length, n);
                int lineStart = 0;
                for (int i = 0; i < chunk.length && out.size() < maxRecords && bytes < maxBytes; i++) {
                    if (chunk[i] != '\n') continue;
                    String line = new String(chunk, lineStart, i - lineStart, StandardCharsets.UTF_8);
                    lineStart = i + 1;
                    int tab = line.indexOf('\t');
                    long seq = Long.parseLong(line.substring(0, tab));
                    if (seq < from) continue;
                    out.add(new Line(seq, line.substring(tab + 1)));
                    bytes += line.length();
                }
                carry = Arrays.copyOfRange(chunk, lineStart, chunk.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool file " + file, e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            flush();
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover spool file is harmless
        }
    }
}
