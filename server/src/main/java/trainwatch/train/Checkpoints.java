package trainwatch.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import trainwatch.store.AtomicFiles;

/**
 * ModelSerializer zips (with updater state, so a run can resume) written to a
 * temp file and renamed into place: a crash mid-save never leaves a torn
 * checkpoint under the final name. Names: epoch-0001.zip ... and final.zip.
 */
final class Checkpoints {
    private Checkpoints() {}

    static Path save(MultiLayerNetwork net, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        AtomicFiles.writeDurably(target, out -> ModelSerializer.writeModel(net, out, true)); // fsync, rename, fsync dir
        return target;
    }

    static String epochName(int epoch) {
        return String.format("epoch-%04d.zip", epoch);
    }

    static final String FINAL = "final.zip";
}
