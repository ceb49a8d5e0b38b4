package trainwatch.checkpoint;

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

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * Which checkpoints a run keeps, the one rule for the trainer's own directory and for the copies the server
 * receives: {@code final.zip}, the epoch checkpoint with the best {@code val_acc} (the first of equals), and
 * the newest {@code keep} epoch checkpoints; every other epoch checkpoint is deleted (zip first: a meta
 * without its zip is ignored). Only zips with a readable meta count (older ones cannot be resumed from).
 */
public final class Retention {
    private Retention() {}

    /** A zip and what its meta says: {@code step} = the next step to run, {@code epochNo} MAX_VALUE for final.zip. */
    public record Saved(String name, int epochNo, long step, double valAcc) {}

    /** Deletes the epoch checkpoints the rule does not keep; returns their names. */
    public static List<String> prune(Path dir, int keep) throws IOException {
        List<Saved> epochs = new ArrayList<>();
        for (Saved s : list(dir)) if (CheckpointName.epochOf(s.name()) >= 0) epochs.add(s);
        epochs.sort(Comparator.comparingInt(Saved::epochNo));
        Set<String> kept = new HashSet<>();
        for (int i = Math.max(0, epochs.size() - keep); i < epochs.size(); i++) kept.add(epochs.get(i).name());
        best(epochs).ifPresent(b -> kept.add(b.name()));
        List<String> deleted = new ArrayList<>();
        for (Saved s : epochs) {
            if (kept.contains(s.name())) continue;
            Files.deleteIfExists(dir.resolve(s.name()));
            Files.deleteIfExists(dir.resolve(s.name() + ".json"));
            deleted.add(s.name());
        }
        return deleted;
    }

    /** The epoch checkpoint with the highest finite val_acc, the earliest of equals (in epoch order). */
    public static Optional<Saved> best(List<Saved> epochs) {
        Saved best = null;
        for (Saved s : epochs) {
            if (Double.isFinite(s.valAcc()) && (best == null || s.valAcc() > best.valAcc())) best = s;
        }
        return Optional.ofNullable(best);
    }

    /** The checkpoint furthest into training (final.zip of a stopped run, or the newest epoch), if any. */
    public static Optional<Saved> newest(Path dir) throws IOException {
        return list(dir).stream().max(Comparator.comparingLong(Saved::step).thenComparingInt(Saved::epochNo));
    }

    /** Every resumable zip (epoch-N.zip, final.zip) with a readable meta. */
    public static List<Saved> list(Path dir) throws IOException {
        List<Saved> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.zip")) {
            for (Path zip : ds) {
                String name = zip.getFileName().toString();
                if (!CheckpointName.valid(name) || name.equals(CheckpointName.AVERAGE)) continue;
                int epoch = CheckpointName.epochOf(name);
                try {
                    JsonNode m = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve(name + ".json")));
                    if (m == null || !m.path("step").canConvertToLong()) continue;
                    JsonNode v = m.get("val_acc");
                    out.add(new Saved(name, epoch < 0 ? Integer.MAX_VALUE : epoch, m.get("step").asLong(),
                            v != null && v.isNumber() ? v.asDouble() : Double.NaN));
                } catch (NoSuchFileException e) {
                    // written before checkpoints carried a meta, or its meta has not arrived yet
                } catch (IOException | RuntimeException e) {
                    // an unreadable meta: not a resume point, and not pruned by this rule
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }
}
