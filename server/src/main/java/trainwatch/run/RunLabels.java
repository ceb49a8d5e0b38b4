package trainwatch.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;

/**
 * A run's team tags ("baseline", "paper-fig-3"), kept in runs/&lt;id&gt;/tags.json as
 * {@code {"tags": ["baseline"]}}: labels people put on runs, not the metric tags of its log.
 * The file lives in the run directory (not only in the index) so rebuilding the index never
 * loses them; it is replaced atomically and durably on every change.
 */
public final class RunLabels {
    public static final String FILE = "tags.json";

    private RunLabels() {}

    /** The run's tags in the order they were added; empty when it has none (or the file is unreadable). */
    public static List<String> read(Path dir) {
        if (!Files.isRegularFile(dir.resolve(FILE))) return List.of(); // most runs: one stat, no exception (the index reads 10,000 at start)
        try {
            JsonNode n = Json.tree(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            if (n != null) for (JsonNode t : n.path("tags")) if (t.isTextual()) out.add(t.asText());
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    public static void write(Path dir, List<String> tags) {
        byte[] bytes = (Json.write(Map.of("tags", tags)) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeDurably(dir.resolve(FILE), out -> out.write(bytes));
    }

    /** Modification time of tags.json in ms, 0 when there is none (part of the index fingerprint). */
    static long modifiedMs(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve(FILE)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
