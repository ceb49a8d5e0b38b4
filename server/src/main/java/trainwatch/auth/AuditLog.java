package trainwatch.auth;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * Who did what: one JSON line per write (runs, sweeps, checks, ensembles, tokens) and per failed
 * login, appended to runs/.audit/audit.jsonl and forced to disk before the request is answered. The
 * server and the CLI (token changes) both append; a line is one write of the whole line to a file
 * opened for appending, so lines from two processes never interleave. Never holds a secret.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    public static final String DIR = ".audit", FILE = "audit.jsonl";
    /** GET /api/audit reads at most this much of the file's end. */
    static final int TAIL_BYTES = 4 << 20;

    /** One line. {@code t}: epoch ms; {@code action}: "POST /api/runs/{id}/stop", "token.create", "login.failed"... */
    public record Entry(long t, String who, String action, String target, int status, String address) {}

    private final Path dir;
    private final Path file;
    private final Clock clock;

    public AuditLog(Path runsRoot, Clock clock) {
        this.dir = runsRoot.resolve(DIR);
        this.file = dir.resolve(FILE);
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public void append(String who, String action, String target, int status, String address) {
        Entry e = new Entry(clock.millis(), who, action, target, status, address);
        byte[] line = (Json.write(e) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException ignored) {
                    // made before
                }
                try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) c.write(b);
                    c.force(false);
                }
            } catch (IOException ex) {
                // the write it records has happened: say so loudly, but do not turn it into a failure
                LOG.error("audit: could not append to {}: {} (lost: {})", file, ex.toString(), new String(line, StandardCharsets.UTF_8).trim());
            }
        }
    }

    /** The newest entries, newest first, at most {@code limit}. */
    public List<JsonNode> newest(int limit) {
        if (!Files.isRegularFile(file)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - TAIL_BYTES);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
            List<JsonNode> out = new ArrayList<>();
            for (int i = lines.length - 1; i >= (from > 0 ? 1 : 0) && out.size() < limit; i--) {
                JsonNode n = Json.tree(lines[i]);
                if (n != null && n.isObject()) out.add(n);
            }
            return Collections.unmodifiableList(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
