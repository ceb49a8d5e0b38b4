package trainwatch.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trainwatch.store.AtomicFiles;

/**
 * Where training stood when a checkpoint was taken: {@code step} is the next
 * step to run, {@code epoch} the 0-based epoch it belongs to and {@code batch}
 * its batch within that epoch (0 after a whole epoch). With the seed, these
 * restore the data order (the shuffle RNG is replayed epoch+1 times); the ND4J
 * RNG states restore dropout masks; the plateau state restores its counters.
 * {@code valAcc} is the validation accuracy of the saved weights (NaN without
 * a validation split): retention keeps the best.
 */
record CheckpointMeta(long step, int epoch, int batch, double valAcc, long rngRoot, long rngNode,
                      double plateauLr, double plateauBest, int plateauSince) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static void write(Path file, CheckpointMeta m) throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", m.step);
        o.put("epoch", m.epoch);
        o.put("batch", m.batch);
        o.put("val_acc", Double.isFinite(m.valAcc) ? m.valAcc : null);
        o.put("rng_root", m.rngRoot);
        o.put("rng_node", m.rngNode);
        o.put("plateau_lr", Double.isFinite(m.plateauLr) ? m.plateauLr : null);
        o.put("plateau_best", Double.isFinite(m.plateauBest) ? m.plateauBest : null);
        o.put("plateau_since", m.plateauSince);
        byte[] bytes = JSON.writeValueAsBytes(o);
        AtomicFiles.writeDurably(file, out -> out.write(bytes)); // fsynced like the zip it describes: resume trusts it
    }

    static CheckpointMeta read(Path file) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(file));
        if (n == null || !n.has("step") || !n.has("epoch") || !n.has("batch")) throw new IOException("missing step, epoch or batch");
        return new CheckpointMeta(n.get("step").asLong(), n.get("epoch").asInt(), n.get("batch").asInt(), num(n, "val_acc"),
                n.path("rng_root").asLong(), n.path("rng_node").asLong(), num(n, "plateau_lr"), num(n, "plateau_best"),
                n.path("plateau_since").asInt());
    }

    private static double num(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
