package trainwatch.ensemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;

/**
 * An ensemble's files under runs/.ensembles/&lt;id&gt;/ (the dot keeps it out of the run list):
 * spec.json, status.json, result.json (each replaced atomically and durably) and eval.log (the
 * evaluation process's output). No ND4J here: the server reads them.
 */
public final class EnsembleFiles {
    public static final String DIR = ".ensembles";
    static final String SPEC = "spec.json", STATUS = "status.json", RESULT = "result.json", LOG = "eval.log";
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    public EnsembleFiles(Path runsRoot) {
        this.root = runsRoot.toAbsolutePath().normalize().resolve(DIR);
    }

    public Path runsRoot() {
        return root.getParent();
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public String newId(long nowMs) {
        for (;;) {
            String id = "e" + STAMP.format(Instant.ofEpochMilli(nowMs)) + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
            if (!Files.exists(dir(id))) return id;
        }
    }

    public Path dir(String id) {
        if (!validId(id)) throw new IllegalArgumentException("invalid ensemble id " + id);
        return root.resolve(id);
    }

    public boolean exists(String id) {
        return validId(id) && Files.isRegularFile(dir(id).resolve(SPEC));
    }

    public Path log(String id) {
        return dir(id).resolve(LOG);
    }

    /** Ids with a spec, newest first (ids start with the creation time). */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (validId(name) && Files.isRegularFile(p.resolve(SPEC))) out.add(name);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> b.compareTo(a));
        return out;
    }

    public void create(EnsembleSpec spec, EnsembleState state) {
        try {
            Files.createDirectories(dir(spec.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeState(spec.id(), state); // first: a spec without a status is never listed half-made
        write(dir(spec.id()).resolve(SPEC), spec);
    }

    public EnsembleSpec spec(String id) {
        return read(dir(id).resolve(SPEC), EnsembleSpec.class).orElseThrow(() -> new UncheckedIOException(new NoSuchFileException(id)));
    }

    /** The status as written (a missing or torn file reads failed with the reason). */
    public EnsembleState state(String id) {
        try {
            return read(dir(id).resolve(STATUS), EnsembleState.class)
                    .orElse(new EnsembleState(EnsembleState.FAILED, "no status.json", 0, 0));
        } catch (UncheckedIOException e) {
            return new EnsembleState(EnsembleState.FAILED, "unreadable status.json", 0, 0);
        }
    }

    public void writeState(String id, EnsembleState s) {
        write(dir(id).resolve(STATUS), s);
    }

    public void writeResult(String id, Object result) {
        write(dir(id).resolve(RESULT), result);
    }

    /** result.json as a tree, if written. */
    public Optional<JsonNode> result(String id) {
        Path p = dir(id).resolve(RESULT);
        try {
            return Optional.of(Json.MAPPER.readTree(Files.readAllBytes(p)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String id) {
        Path d = dir(id);
        try (var walk = Files.walk(d)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, Object value) {
        byte[] bytes = Json.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFiles.writeDurably(file, out -> out.write(bytes));
    }

    private static <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
