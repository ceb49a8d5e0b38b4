package trainwatch.store;

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
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.CheckResult;

/**
 * runs/<id>/checks/<name>.json, written by check processes:
 * {"check","outcome","summary","details":{...},"wallMs"}. Their seq is -1
 * (they are not log records).
 */
public final class CheckFiles {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    private CheckFiles() {}

    /** Writes (replaces) checks/<check>.json in a run directory atomically. */
    public static void write(Path runDir, CheckResult r) {
        if (!NAME.matcher(r.check()).matches())
            throw new IllegalArgumentException("check name must match [a-z0-9_-]{1,64}, got " + r.check());
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("outcome", r.outcome());
            m.put("summary", r.summary());
            m.put("details", Json.MAPPER.readTree(r.detailsJson()));
            m.put("wallMs", r.wallMs());
            Path dir = runDir.resolve("checks");
            Files.createDirectories(dir);
            AtomicFiles.write(FileOps.DISK, dir.resolve(r.check() + ".json"), Json.MAPPER.writeValueAsBytes(m), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every readable check file; unreadable ones are described in problems. */
    static List<CheckResult> read(Path checksDir, List<String> problems) {
        List<CheckResult> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(checksDir, "*.json")) {
            for (Path p : ds) {
                try {
                    JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(p));
                    if (!n.hasNonNull("check") || !n.hasNonNull("outcome")) throw new IOException("missing check or outcome");
                    JsonNode details = n.path("details");
                    out.add(new CheckResult(-1, n.path("wallMs").asLong(), n.get("check").asText(), n.get("outcome").asText(),
                            n.path("summary").asText(""), details.isObject() ? details.toString() : "{}"));
                } catch (IOException | RuntimeException e) {
                    problems.add("unreadable check file " + p.getFileName() + ": " + e.getMessage());
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
