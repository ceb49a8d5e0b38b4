package trainwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * runs/&lt;id&gt;/resumes.json: [{"step", "checkpoint", "wall_ms"}, ...], one entry per resume, written by the
 * trainer that resumes (it owns the run directory then) and read by the server to mark "resumed at step S".
 */
final class Resumes {
    static final String FILE = "resumes.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Resumes() {}

    static void record(Path runDir, long step, String checkpoint) throws IOException {
        Path file = runDir.resolve(FILE);
        ArrayNode all = JSON.createArrayNode();
        if (Files.isRegularFile(file)) {
            var old = JSON.readTree(Files.readAllBytes(file));
            if (old != null && old.isArray()) for (var e : old) if (e.path("step").asLong(-1) < step) all.add(e); // superseded ones go
        }
        ObjectNode e = all.addObject();
        e.put("step", step);
        e.put("checkpoint", checkpoint);
        e.put("wall_ms", System.currentTimeMillis());
        Path tmp = runDir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(all));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
