package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;

/** status.json: {"status","reason","updatedMs","pid","createdMs"}, replaced atomically. */
final class StatusFile {
    private StatusFile() {}

    /** Durably: fsync, rename, fsync of the directory. */
    static void write(FileOps ops, Path file, StatusRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", s.status().wire());
        m.put("reason", s.reason());
        m.put("updatedMs", s.updatedMs());
        m.put("pid", s.pid());
        m.put("createdMs", s.createdMs());
        try {
            AtomicFiles.write(ops, file, Json.MAPPER.writeValueAsBytes(m), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state, or null when the file does not exist. */
    static StatusRecord read(Path file) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
            return new StatusRecord(RunStatus.fromWire(n.path("status").asText()), n.path("reason").asText(""),
                    n.path("updatedMs").asLong(), n.path("pid").asLong(), n.path("createdMs").asLong());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable " + file + ": " + e.getMessage(), e);
        }
    }
}
