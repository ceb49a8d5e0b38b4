package trainwatch.ensemble;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * A run's checkpoints as files (runs/&lt;id&gt;/checkpoints/NAME.zip, each with NAME.zip.json where
 * training stood: step, val_acc), read without ND4J so the server can resolve members.
 */
final class RunCheckpoints {
    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)\\.zip");

    private RunCheckpoints() {}

    record Saved(String name, Path zip, long step, double valAcc, int epoch) {}

    static Path dir(Path runDir) {
        return runDir.resolve("checkpoints");
    }

    /** The zip a checkpoint name stands for, if it exists: final, average, epoch-NNNN, or best (highest val_acc, earliest of equals). */
    static Optional<Path> resolve(Path runDir, String checkpoint) {
        if (checkpoint.equals(MemberRef.BEST)) {
            Saved best = null;
            for (Saved s : epochs(runDir))
                if (Double.isFinite(s.valAcc()) && (best == null || s.valAcc() > best.valAcc())) best = s;
            return Optional.ofNullable(best).map(Saved::zip);
        }
        Path zip = dir(runDir).resolve(checkpoint + ".zip");
        return Files.isRegularFile(zip) ? Optional.of(zip) : Optional.empty();
    }

    /** Epoch checkpoints with a readable meta, oldest first. */
    static List<Saved> epochs(Path runDir) {
        return all(runDir).stream().filter(s -> s.epoch() > 0).sorted(Comparator.comparingInt(Saved::epoch)).toList();
    }

    /**
     * The newest {@code k} distinct checkpoints by step: epoch checkpoints and final.zip (which a stopped
     * run saves mid-epoch; one at the same step as the last epoch holds the same weights and is skipped).
     * Oldest first; fewer when the run kept fewer (checkpoints.keep).
     */
    static List<String> last(Path runDir, int k) {
        List<Saved> all = new ArrayList<>(all(runDir));
        all.sort(Comparator.comparingLong(Saved::step).thenComparingInt(s -> s.epoch() > 0 ? 0 : 1));
        List<Saved> distinct = new ArrayList<>();
        Set<Long> steps = new HashSet<>();
        for (Saved s : all) if (s.name().equals("final") || s.epoch() > 0) if (steps.add(s.step())) distinct.add(s);
        return distinct.subList(Math.max(0, distinct.size() - k), distinct.size()).stream().map(Saved::name).toList();
    }

    static double valAcc(Path zip) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(zip.resolveSibling(zip.getFileName() + ".json")));
            JsonNode v = n.get("val_acc");
            return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static List<Saved> all(Path runDir) {
        List<Saved> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(runDir), "*.zip")) {
            for (Path zip : ds) {
                String file = zip.getFileName().toString();
                Path meta = zip.resolveSibling(file + ".json");
                if (!Files.isRegularFile(meta)) continue; // average.zip, or a checkpoint from before metas
                try {
                    JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(meta));
                    JsonNode v = n.get("val_acc");
                    Matcher m = EPOCH.matcher(file);
                    out.add(new Saved(file.substring(0, file.length() - 4), zip, n.path("step").asLong(),
                            v != null && v.isNumber() ? v.asDouble() : Double.NaN, m.matches() ? Integer.parseInt(m.group(1)) : 0));
                } catch (IOException | RuntimeException e) {
                    // an unreadable meta: not offered as a member
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
