package trainwatch.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;

/**
 * runs/&lt;id&gt;/stop.json: the final status a stop asks for when it is not plain {@code stopped}
 * (a sweep prunes a trial: {@code pruned} with the rung and threshold as reason). Written before
 * the trainer is signalled, read by the trainer when it writes its stopped status, and by the
 * supervisor when it has to settle a trainer that exited without one.
 */
public record StopRequest(RunStatus status, String reason) {
    public static final String FILE = "stop.json";

    public StopRequest {
        if (status == null || !status.isFinal()) throw new IllegalArgumentException("a stop asks for a final status, got " + status);
        reason = reason == null ? "" : reason;
    }

    static void write(FileOps ops, Path dir, StopRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status().wire());
        m.put("reason", r.reason());
        try {
            AtomicFiles.write(ops, dir.resolve(FILE), Json.MAPPER.writeValueAsBytes(m), true);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, dir, ops);
        }
    }

    /** The request, or null when there is none (or it cannot be read: then the stop is a plain one). */
    static StopRequest read(Path dir) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve(FILE)));
            return new StopRequest(RunStatus.fromWire(n.path("status").asText()), n.path("reason").asText(""));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
