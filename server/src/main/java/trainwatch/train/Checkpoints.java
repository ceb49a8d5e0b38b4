package trainwatch.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.store.AtomicFiles;

/**
 * ModelSerializer zips with the updater state, each next to a small JSON of
 * where training stands ({@link CheckpointMeta}: the step to run next, the
 * epoch and batch, the RNG), so a run can resume exactly. The meta is written
 * first and the zip is fsynced and renamed into place last: a zip under its
 * final name always has its meta, and a crash mid-save never leaves a torn
 * checkpoint. Names: epoch-0001.zip ... and final.zip.
 *
 * Retention (a week-long run writes thousands of epochs): final.zip, the
 * epoch checkpoint with the best val_acc (the first of equals), and the newest
 * {@code keep} epoch checkpoints stay; every other epoch checkpoint is deleted.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)\\.zip");
    static final String FINAL = "final.zip";
    /** The Polyak average of the parameters (config key averaging): no updater, not a resume point. */
    static final String AVERAGE = "average.zip";
    static final String AVERAGE_META = "average.json";

    private Checkpoints() {}

    static Path save(MultiLayerNetwork net, Path dir, String name, CheckpointMeta meta) throws IOException {
        Files.createDirectories(dir);
        CheckpointMeta.write(metaFile(dir.resolve(name)), meta); // first: a zip under its name always has its meta
        Path target = dir.resolve(name);
        AtomicFiles.writeDurably(target, out -> ModelSerializer.writeModel(net, out, true)); // fsync, rename, fsync dir
        return target;
    }

    /** The averaged weights and how many updates they average; the meta first, the zip renamed into place last. */
    static Path saveAverage(MultiLayerNetwork averaged, Path dir, AverageMeta meta) throws IOException {
        Files.createDirectories(dir);
        byte[] bytes = new ObjectMapper().writeValueAsBytes(
                java.util.Map.of("step", meta.step(), "count", meta.count(), "decay", meta.decay()));
        AtomicFiles.writeDurably(dir.resolve(AVERAGE_META), out -> out.write(bytes));
        Path target = dir.resolve(AVERAGE);
        AtomicFiles.writeDurably(target, out -> ModelSerializer.writeModel(averaged, out, false));
        return target;
    }

    /** The saved average with its meta, if both are there. */
    static Optional<SavedAverage> readAverage(Path dir) throws IOException {
        Path zip = dir.resolve(AVERAGE);
        Path metaFile = dir.resolve(AVERAGE_META);
        if (!Files.exists(zip) || !Files.exists(metaFile)) return Optional.empty();
        JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(metaFile));
        AverageMeta meta = new AverageMeta(n.path("step").asLong(), n.path("count").asLong(), n.path("decay").asDouble());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        return Optional.of(new SavedAverage(net.params().dup(), meta));
    }

    /** {@code step}: the next step to run when saved (matches the checkpoint saved with it). */
    record AverageMeta(long step, long count, double decay) {}

    record SavedAverage(org.nd4j.linalg.api.ndarray.INDArray params, AverageMeta meta) {}

    static String epochName(int epoch) {
        return String.format("epoch-%04d.zip", epoch);
    }

    static Path metaFile(Path zip) {
        return zip.resolveSibling(zip.getFileName() + ".json");
    }

    /** Deletes the epoch checkpoints retention does not keep; returns the names deleted (the one rule: checkpoint.Retention). */
    static List<String> prune(Path dir, int keep) throws IOException {
        return trainwatch.checkpoint.Retention.prune(dir, keep);
    }

    /** The epoch checkpoint with the highest finite val_acc, the earliest of equals. */
    static Optional<Saved> best(List<Saved> epochs) {
        Saved best = null;
        for (Saved s : epochs) {
            double v = s.meta().valAcc();
            if (Double.isFinite(v) && (best == null || v > best.meta().valAcc())) best = s;
        }
        return Optional.ofNullable(best);
    }

    /** The checkpoint furthest into training (final.zip of a stopped run, or the newest epoch), if any. */
    static Optional<Saved> newest(Path dir) throws IOException {
        return list(dir).stream().max(Comparator.comparingLong((Saved s) -> s.meta().step()).thenComparingInt(Saved::epochNo));
    }

    /** Every zip with a readable meta (older checkpoints without one cannot be resumed from and are skipped). */
    static List<Saved> list(Path dir) throws IOException {
        List<Saved> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.zip")) {
            for (Path zip : ds) {
                if (zip.getFileName().toString().equals(AVERAGE)) continue; // not where training stood
                Matcher m = EPOCH.matcher(zip.getFileName().toString());
                int no = m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
                try {
                    out.add(new Saved(zip, no, CheckpointMeta.read(metaFile(zip))));
                } catch (NoSuchFileException e) {
                    // written before checkpoints carried a meta
                } catch (IOException | RuntimeException e) {
                    LOG.warn("checkpoint {}: unreadable meta, skipped: {}", zip.getFileName(), e.toString());
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    record Saved(Path zip, int epochNo, CheckpointMeta meta) {}
}
