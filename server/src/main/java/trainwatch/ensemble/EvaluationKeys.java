package trainwatch.ensemble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.ingest.IngestKey;
import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;

/**
 * runs/.ensembles/&lt;id&gt;/eval-key.json: the SHA-256 of each key an evaluation running elsewhere was given
 * ({@code {"key_sha256": ["9f2c...", ...]}}; a restarted server that starts it again adds one, so a pod started
 * before still reports). A key lets its evaluation read its members' checkpoints and post its result, nothing else.
 */
final class EvaluationKeys {
    static final String FILE = "eval-key.json";

    private EvaluationKeys() {}

    /** A new key for the evaluation, its hash added to the file; the key itself is returned this once. */
    static String issue(Path dir) {
        String key = IngestKey.create();
        List<String> all = new ArrayList<>(hashes(dir));
        all.add(IngestKey.hash(key));
        byte[] bytes = Json.write(Map.of("key_sha256", all)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFiles.writeDurably(dir.resolve(FILE), out -> out.write(bytes));
        return key;
    }

    static boolean matches(Path dir, String presented) {
        for (String h : hashes(dir)) if (IngestKey.matches(presented, h)) return true;
        return false;
    }

    static List<String> hashes(Path dir) {
        try {
            JsonNode n = Json.tree(Files.readString(dir.resolve(FILE)));
            List<String> out = new ArrayList<>();
            if (n != null) for (JsonNode h : n.path("key_sha256")) out.add(h.asText());
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
