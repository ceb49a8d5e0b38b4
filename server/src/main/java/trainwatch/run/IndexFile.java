package trainwatch.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * runs/.index/summaries.jsonl (docs/run-format.md): a header line, then one line per run
 * with its list entry and the fingerprint it was computed from. A cache only: the run
 * directories stay the truth, so a missing, damaged or foreign-version file is ignored
 * and rebuilt, and a damaged line just means that run is recomputed.
 */
final class IndexFile {
    private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);
    static final int VERSION = 2; // 2: entries carry "remote"

    record Line(Fingerprint fp, RunEntry run) {}

    private final Path file;

    IndexFile(Path runsRoot) {
        this.file = runsRoot.resolve(".index").resolve("summaries.jsonl");
    }

    Path path() {
        return file;
    }

    /** Every readable line; empty when the file is missing or of another version. */
    List<Line> load() {
        List<Line> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonNode head = Json.tree(in.readLine());
            if (head == null || head.path("version").asInt() != VERSION) {
                LOG.info("run index {} is of another version: rebuilding it", file);
                return out;
            }
            int bad = 0;
            for (String s; (s = in.readLine()) != null; ) {
                try {
                    Line l = Json.MAPPER.readValue(s, Line.class);
                    if (l.fp() != null && l.run() != null && l.run().id() != null) out.add(l);
                    else bad++;
                } catch (IOException | RuntimeException e) {
                    bad++;
                }
            }
            if (bad > 0) LOG.warn("run index {}: {} unreadable lines (those runs are recomputed)", file, bad);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            LOG.warn("run index {} cannot be read ({}): rebuilding it", file, e.toString());
        }
        return out;
    }

    /** Replaces the file atomically (a crash leaves the old one or the new one, never half of it). */
    void save(Collection<Line> lines, long now) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("{\"version\":" + VERSION + ",\"written\":" + now + "}\n");
            for (Line l : lines) {
                w.write(Json.write(l));
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
