package trainwatch.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * runs/&lt;id&gt;/checks/&lt;name&gt;.json as the store's reader expects it:
 * {"check","outcome","summary","details":{...},"wallMs"}, replaced atomically
 * (temp file in the same directory, then rename) so a reader never sees half a file.
 */
public final class CheckFile {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    private CheckFile() {}

    public static void write(Path runDir, String check, String outcome, String summary, Map<String, Object> details) {
        if (!NAME.matcher(check).matches()) throw new IllegalArgumentException("check name must match [a-z0-9_-]{1,64}, got " + check);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", check);
        m.put("outcome", outcome);
        m.put("summary", summary);
        m.put("details", details);
        m.put("wallMs", System.currentTimeMillis());
        try {
            Path dir = runDir.resolve("checks");
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + check, ".tmp");
            try {
                Files.write(tmp, CheckJson.MAPPER.writeValueAsBytes(m));
                Files.move(tmp, dir.resolve(check + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
