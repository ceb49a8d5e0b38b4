package trainwatch.run.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;

/**
 * runs/&lt;id&gt;/kubernetes.json: the run was handed to the kubernetes executor, and which Job speaks for it now:
 * {@code {"namespace", "job"}}, plus after a resume {@code "attempt"} (1, 2, ...: the resume Jobs are tw-ID-rN)
 * and {@code "resume_from"} (the checkpoint its trainer continues from; null to start over). Written before the
 * Job is created, so a server restart creates the same Job.
 */
record Marker(String namespace, String job, int attempt, String resumeFrom) {
    static final String FILE = KubernetesExecutor.MARKER;

    static Marker read(Path runDir) {
        try {
            JsonNode n = Json.tree(Files.readString(runDir.resolve(FILE)));
            if (n == null || !n.path("job").isTextual()) return null;
            return new Marker(n.path("namespace").asText(""), n.get("job").asText(), n.path("attempt").asInt(0),
                    n.path("resume_from").isTextual() ? n.get("resume_from").asText() : null);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void write(Path runDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("job", job);
        if (attempt > 0) {
            m.put("attempt", attempt);
            m.put("resume_from", resumeFrom);
        }
        byte[] bytes = (Json.write(m) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            AtomicFiles.writeDurably(runDir.resolve(FILE), out -> out.write(bytes));
        } catch (UncheckedIOException e) {
            throw e;
        }
    }
}
