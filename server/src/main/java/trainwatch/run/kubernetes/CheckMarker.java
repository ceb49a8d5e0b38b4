package trainwatch.run.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * runs/&lt;id&gt;/check-&lt;name&gt;.kubernetes.json: a check of the run was handed to a Kubernetes Job and has no
 * result yet. Written before the Job is created, removed once the result is stored; a restarted server
 * re-attaches to the Job it names (with the key's SHA-256 it keeps) instead of creating another.
 */
record CheckMarker(String check, String namespace, String job, String keySha256, long startedMs) {
    static final String SUFFIX = ".kubernetes.json";

    static Path path(Path runDir, String check) {
        return runDir.resolve("check-" + check + SUFFIX);
    }

    void write(Path runDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", check);
        m.put("namespace", namespace);
        m.put("job", job);
        m.put("key_sha256", keySha256);
        m.put("started_ms", startedMs);
        Path target = path(runDir, check);
        Path tmp = runDir.resolve(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Json.write(m) + "\n");
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void remove(Path runDir, String check) {
        try {
            Files.deleteIfExists(path(runDir, check));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every readable marker in a run directory (unreadable ones are skipped: the check then shows what it last wrote). */
    static List<CheckMarker> all(Path runDir) {
        List<CheckMarker> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runDir, "check-*" + SUFFIX)) {
            for (Path p : ds) {
                try {
                    JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(p));
                    if (n.hasNonNull("check") && n.hasNonNull("job"))
                        out.add(new CheckMarker(n.get("check").asText(), n.path("namespace").asText(""), n.get("job").asText(),
                                n.path("key_sha256").asText(null), n.path("started_ms").asLong(0)));
                } catch (IOException | RuntimeException e) {
                    // half-written by a crash: ignored
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
