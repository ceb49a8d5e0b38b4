package trainwatch.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;
import trainwatch.store.FileOps;

/**
 * Sweeps on disk: runs/.sweeps/&lt;id&gt;/ with spec.json (written once, atomically, with the
 * directory: a sweep never exists without its spec) and events.jsonl (appended one fsynced
 * line at a time). A crash mid-append leaves a torn last line: replay ignores it and the next
 * append cuts it off first, so it never glues onto a good line.
 */
public final class SweepStore {
    private static final Logger LOG = LoggerFactory.getLogger(SweepStore.class);
    public static final String DIR = ".sweeps", SPEC = "spec.json", EVENTS = "events.jsonl";
    private static final Pattern ID = Pattern.compile("s[0-9]{8}-[0-9]{6}-[a-z0-9]{4}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Clock clock;
    private final FileOps ops;
    private final SecureRandom random = new SecureRandom();

    public SweepStore(Path runsRoot, Clock clock) {
        this(runsRoot, clock, FileOps.DISK);
    }

    SweepStore(Path runsRoot, Clock clock, FileOps ops) {
        this.root = runsRoot.resolve(DIR);
        this.clock = clock;
        this.ops = ops;
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    Path dir(String id) {
        if (!validId(id)) throw new IllegalArgumentException("invalid sweep id");
        return root.resolve(id);
    }

    public boolean exists(String id) {
        return validId(id) && Files.isRegularFile(root.resolve(id).resolve(SPEC));
    }

    /** A fresh id: s + time + random, e.g. s20261203-140501-k3f9. */
    String newId() {
        String time = STAMP.format(clock.instant());
        while (true) {
            StringBuilder sb = new StringBuilder("s").append(time).append('-');
            for (int i = 0; i < 4; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            if (!Files.exists(root.resolve(sb.toString()))) return sb.toString();
        }
    }

    /** Creates the sweep's directory with spec.json and its first events, all or nothing. */
    void create(String id, String specJson, List<SweepEvent> first) {
        Path dir = dir(id);
        Path tmp = root.resolve(".creating-" + id + "-" + Long.toHexString(random.nextLong()));
        try {
            Files.createDirectories(tmp);
            AtomicFiles.writeDurably(tmp.resolve(SPEC), out -> out.write(specJson.getBytes(StandardCharsets.UTF_8)));
            StringBuilder lines = new StringBuilder();
            for (SweepEvent e : first) lines.append(Json.write(e)).append('\n');
            AtomicFiles.writeDurably(tmp.resolve(EVENTS), out -> out.write(lines.toString().getBytes(StandardCharsets.UTF_8)));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            ops.syncDir(root);
        } catch (IOException e) {
            deleteTree(tmp);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    String spec(String id) {
        try {
            return Files.readString(dir(id).resolve(SPEC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one event and fsyncs it; a torn last line left by a crash is cut off first. */
    synchronized void append(String id, SweepEvent event) {
        Path file = dir(id).resolve(EVENTS);
        byte[] line = (Json.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long end = goodEnd(ch);
            if (end < ch.size()) ops.truncate(file, ch, end);
            ByteBuffer buf = ByteBuffer.wrap(line);
            long at = end;
            while (buf.hasRemaining()) at += ops.write(file, ch, buf, at);
            ops.force(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just after the last newline (0 for none): where the complete lines end. */
    private static long goodEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) return 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, size - 1);
        if (one.get(0) == '\n') return size;
        // torn tail: scan back for the newline before it
        int chunk = 4096;
        for (long pos = size; pos > 0; ) {
            long from = Math.max(0, pos - chunk);
            ByteBuffer b = ByteBuffer.allocate((int) (pos - from));
            ch.read(b, from);
            for (int i = b.position() - 1; i >= 0; i--) if (b.get(i) == '\n') return from + i + 1;
            pos = from;
        }
        return 0;
    }

    /** Bytes in events.jsonl (-1 when it is gone): it only grows, so an equal size means no new event. */
    long eventsSize(String id) {
        try {
            return Files.size(dir(id).resolve(EVENTS));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every complete event in order; a torn last line (no newline) is ignored, an unreadable line is skipped and logged. */
    List<SweepEvent> events(String id) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir(id).resolve(EVENTS));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SweepEvent> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
            start = i + 1;
            if (line.isEmpty()) continue;
            try {
                out.add(Json.MAPPER.readValue(line, SweepEvent.class));
            } catch (IOException e) {
                LOG.warn("sweep {}: skipping an unreadable line of {}: {}", id, EVENTS, e.getMessage());
            }
        }
        return out;
    }

    /** Ids of every sweep, newest first (ids start with their creation time). */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (validId(id) && Files.isRegularFile(p.resolve(SPEC))) out.add(id);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** Renamed away first, so a half-deleted sweep is never listed. */
    void delete(String id) {
        Path gone = root.resolve(".deleting-" + id + "-" + Long.toHexString(random.nextLong()));
        try {
            Files.move(dir(id), gone, StandardCopyOption.ATOMIC_MOVE);
            ops.syncDir(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteTree(gone);
    }

    private static void deleteTree(Path top) {
        if (!Files.exists(top)) return;
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
