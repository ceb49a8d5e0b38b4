package trainwatch.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.json.Json;
import trainwatch.store.AtomicFiles;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunStore;

/**
 * The server's copies of checkpoints sent by trainers elsewhere (PUT /api/ingest/runs/{id}/checkpoints/{name}):
 * stored in runs/&lt;id&gt;/checkpoints/ exactly as a local trainer stores its own, so resume, ensembles and
 * export read them the same way. The body is streamed into a temporary file beside the target, fsynced and
 * renamed over it, then the directory is fsynced (AtomicFiles); a body over the limit or cut short leaves
 * nothing. A zip is taken only once its meta is there (a resumable zip always has its meta), and after each
 * zip the run's epoch checkpoints are pruned by the run's own {@code checkpoints.keep} (Retention).
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    /** Default upload limit: a checkpoint (weights + updater state) of up to 2 GiB. */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;
    static final int DEFAULT_KEEP = 3;

    /** Answer of a stored upload: what was stored, its size and the epoch checkpoints pruned after it. */
    public record Stored(String id, String name, long bytes, List<String> pruned) {}

    private final RunStore store;
    private volatile long maxBytes = DEFAULT_MAX_BYTES;

    public CheckpointStore(RunStore store) {
        this.store = store;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Tests use a small limit. */
    public void useMaxBytes(long max) {
        this.maxBytes = max;
    }

    /** Stores one file; {@code declaredLength} is the Content-Length (-1 when unknown), refused at once when over the limit. */
    public Stored put(String id, String name, long declaredLength, InputStream body) {
        checkName(name);
        requireRun(id);
        long max = maxBytes;
        if (declaredLength > max) throw tooLarge(max);
        Path dir = store.dir(id).resolve("checkpoints");
        String meta = CheckpointName.isMeta(name) ? null : CheckpointName.metaOf(name);
        if (meta != null && !Files.isRegularFile(dir.resolve(meta)))
            throw new CheckpointException(409, "name", "upload " + meta + " before " + name + " (a checkpoint is stored only with its meta)");
        long[] written = {0};
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeDurably(dir.resolve(name), out -> {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = read(body, buf)) > 0; ) {
                    written[0] += n;
                    if (written[0] > max) throw tooLarge(max);
                    out.write(buf, 0, n);
                }
                if (declaredLength >= 0 && written[0] != declaredLength)
                    throw new CheckpointException(400, "body", "ended after " + written[0] + " of " + declaredLength + " bytes");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            if (DiskSpace.isDiskFull(e)) throw new CheckpointException(507, "", "the disk under the runs directory is full: send the checkpoint again later");
            throw e;
        }
        List<String> pruned = List.of();
        if (!CheckpointName.isMeta(name) && !name.equals(CheckpointName.AVERAGE)) {
            try {
                pruned = Retention.prune(dir, keep(id));
            } catch (IOException | RuntimeException e) {
                LOG.warn("run {}: pruning its checkpoints failed: {}", id, e.toString());
            }
        }
        return new Stored(id, name, written[0], pruned);
    }

    /** A read of the request body: a failure there is the caller's (a cut connection), never the disk's. */
    private static int read(InputStream body, byte[] buf) {
        try {
            return body.read(buf);
        } catch (IOException e) {
            throw new CheckpointException(400, "body", "could not be read to its end (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The stored file, for a download; 404 when the run or the file is not there. */
    public Path get(String id, String name) {
        checkName(name);
        requireRun(id);
        Path p = store.dir(id).resolve("checkpoints").resolve(name);
        if (!Files.isRegularFile(p)) throw new CheckpointException(404, "name", "run " + id + " has no checkpoint file " + name);
        return p;
    }

    /** checkpoints.keep of the run's config (3 when absent or unreadable). */
    int keep(String id) {
        try {
            int k = Json.tree(Files.readString(store.dir(id).resolve("config.json"))).path("checkpoints").path("keep").asInt(DEFAULT_KEEP);
            return k >= 1 ? k : DEFAULT_KEEP;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_KEEP;
        }
    }

    private void requireRun(String id) {
        if (!RunStore.validId(id)) throw new CheckpointException(400, "id", "must match [a-z0-9-]{1,64}");
        if (!store.exists(id)) throw new CheckpointException(404, "", "no run with id " + id);
    }

    private static void checkName(String name) {
        if (!CheckpointName.valid(name))
            throw new CheckpointException(400, "name", "must be epoch-NNNN.zip, final.zip, average.zip or one of their metas (NAME.zip.json, average.json)");
    }

    private static CheckpointException tooLarge(long max) {
        return new CheckpointException(413, "body", "is larger than the checkpoint limit of " + max + " bytes");
    }
}
