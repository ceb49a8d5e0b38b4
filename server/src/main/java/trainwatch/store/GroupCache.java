package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Sealed level-4096 entries of one tag, read once and extended as the run grows. */
final class GroupCache {
    private final Path file;
    private final List<BlockSummary> entries = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocate(256 * LogFormat.ENTRY).order(ByteOrder.LITTLE_ENDIAN);

    GroupCache(Path file) {
        this.file = file;
    }

    List<BlockSummary> sealed(long sealedBlocks) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            long n = c.size() / LogFormat.ENTRY;
            if (n < entries.size()) entries.clear();
            long i = entries.size();
            while (i < n) {
                buf.clear();
                long want = Math.min(n - i, 256);
                buf.limit((int) want * LogFormat.ENTRY);
                while (buf.hasRemaining()) if (c.read(buf, i * LogFormat.ENTRY + buf.position()) < 0) break;
                int got = buf.position() / LogFormat.ENTRY;
                for (int j = 0; j < got; j++, i++) {
                    BlockSummary s = BlockSummary.read(buf, j * LogFormat.ENTRY);
                    if ((s.blockNo + 1) << 6 > sealedBlocks) return entries;
                    entries.add(s);
                }
                if (got == 0) break;
            }
        } catch (NoSuchFileException e) {
            entries.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
