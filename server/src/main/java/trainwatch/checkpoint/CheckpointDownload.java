package trainwatch.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import trainwatch.store.AtomicFiles;

/**
 * Reads a run's checkpoint files back from the server (GET /api/ingest/runs/{id}/checkpoints/{name}) into a
 * local checkpoints/ directory, each written durably under its name (temporary file, fsync, rename), so a
 * resumed trainer or an ensemble evaluation in a pod finds them where a local one would.
 */
public final class CheckpointDownload {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    /** {@code bearer}: the run's ingest key (or a viewer's token). */
    public CheckpointDownload(String baseUrl, String bearer) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Bearer " + bearer;
    }

    /** Fetches one file into {@code dir}; false when the server has no such file (404). IOException for anything else. */
    public boolean fetch(String runId, String name, Path dir) throws IOException {
        if (!CheckpointName.valid(name)) throw new IllegalArgumentException("not a checkpoint file name: " + name);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/ingest/runs/" + runId + "/checkpoints/" + name))
                .timeout(Duration.ofMinutes(10)).header("Authorization", authorization).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404) return false;
            if (r.statusCode() != 200)
                throw new IOException("the server answered " + r.statusCode() + " for " + name + ": " + new String(in.readNBytes(300)));
            Files.createDirectories(dir);
            try {
                AtomicFiles.writeDurably(dir.resolve(name), in::transferTo);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            return true;
        }
    }

    /**
     * Fetches a resume point: the zip's meta first, then the zip (so a zip is never there without its meta), then the
     * parameter average saved beside it when the server has one. Retries for up to {@code patienceMs} while the
     * server cannot be reached. False when the server has no such checkpoint.
     */
    public boolean fetchResumePoint(String runId, String zip, Path dir, long patienceMs) throws IOException {
        long deadline = System.currentTimeMillis() + patienceMs;
        long pause = 1000;
        while (true) {
            try {
                if (!fetch(runId, zip + ".json", dir) || !fetch(runId, zip, dir)) return false;
                if (fetch(runId, CheckpointName.AVERAGE_META, dir)) fetch(runId, CheckpointName.AVERAGE, dir);
                return true;
            } catch (IOException e) {
                if (System.currentTimeMillis() + pause > deadline) throw e;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(15_000, pause * 2);
            }
        }
    }
}
