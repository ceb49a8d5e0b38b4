package trainwatch.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * Who started a run (docs/auth.md): runs/&lt;id&gt;/owner.json, {@code {"owner": "alice"}}, written with the
 * run's first files (never changed after). The name is the caller's token name or the SSO proxy's user;
 * a run started on a server without authentication, or from the command line, has none.
 */
public final class RunOwner {
    public static final String FILE = "owner.json";

    private RunOwner() {}

    /** The owner, or null (none recorded, or unreadable). A sweep trial's is in its sweep.json (its sweep's owner). */
    public static String read(Path dir) {
        String own = field(dir.resolve(FILE));
        return own != null ? own : field(dir.resolve("sweep.json"));
    }

    private static String field(Path file) {
        try {
            JsonNode n = Json.tree(Files.readString(file, StandardCharsets.UTF_8));
            return n != null && n.path("owner").isTextual() ? n.get("owner").asText() : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** The file to create the run with: {owner.json: ...}, or none when there is no owner. */
    public static Map<String, byte[]> file(String owner) {
        if (owner == null || owner.isBlank()) return Map.of();
        return Map.of(FILE, (Json.write(Map.of("owner", owner)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
