package trainwatch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * runs/<id>/ingest.json: marks a run as remote (the server's ingest service is its single writer) and
 * holds what exactly-once delivery needs after a crash. Before a batch's records are appended, the
 * batch's intent is written here (replaced atomically, before the first record reaches the log):
 * the client seq it starts at ({@code next}), the log's last seq before it ({@code lastSeqBefore}) and
 * how many client records it appends ({@code count}). A batch appends its client records first and
 * anything the server adds (a sanity check) after them, so after a kill -9 at any instant the number
 * of its records that reached the log is min(log's last seq - lastSeqBefore, count), and the client
 * seq the server expects next follows from that: no record is lost or stored twice.
 */
record IngestFile(String keySha256, Integer classes, long next, long lastSeqBefore, int count) {
    static final String NAME = "ingest.json";

    static Path path(Path runDir) {
        return runDir.resolve(NAME);
    }

    /** The client seq expected next, given the log's last valid seq now. */
    long recoveredNext(long lastSeqNow) {
        long stored = Math.max(0, Math.min(count, lastSeqNow - lastSeqBefore));
        return next + stored;
    }

    IngestFile intent(long nextSeq, long lastSeq, int n) {
        return new IngestFile(keySha256, classes, nextSeq, lastSeq, n);
    }

    static IngestFile read(Path runDir) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(path(runDir)));
            if (n == null || !n.isObject()) throw new IllegalStateException(path(runDir) + " is not a JSON object");
            return new IngestFile(n.path("key_sha256").asText(null), n.hasNonNull("classes") ? n.get("classes").asInt() : null,
                    n.path("next").asLong(0), n.path("last_seq_before").asLong(0), n.path("count").asInt(0));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaced atomically (a reader sees the old or the new file); not fsynced: it guards against kill -9 like the log's page cache does. */
    void write(Path runDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_sha256", keySha256);
        m.put("classes", classes);
        m.put("next", next);
        m.put("last_seq_before", lastSeqBefore);
        m.put("count", count);
        Path target = path(runDir);
        Path tmp = runDir.resolve(NAME + ".tmp");
        try {
            Files.write(tmp, Json.write(m).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
