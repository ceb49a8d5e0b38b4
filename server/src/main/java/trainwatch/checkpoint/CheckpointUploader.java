package trainwatch.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote trainer's checkpoints, sent to the server as they are written (PUT
 * /api/ingest/runs/{id}/checkpoints/{name}). Its own thread looks at the local checkpoints/ directory
 * every poll and sends every file that is new or was replaced since it was sent, metas before the zips
 * they describe; training never waits for it. A failed send (server away, 5xx) is retried with a growing
 * pause; a refusal (4xx) of one version of a file is logged and not retried. Files the trainer prunes
 * meanwhile are simply skipped (the server prunes its copies by the same rule). The records of the run
 * travel separately (the ingest client): nothing here can hold them up or lose them.
 */
public final class CheckpointUploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointUploader.class);
    static final long MAX_PAUSE_MS = 30_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Supplier<String> runId;
    private final Supplier<String> key;
    private final Path dir;
    private final long pollMs;
    /** name -> the version (file key, size, mtime) the server has, or was refused. */
    private final Map<String, String> sent = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private volatile String error;
    private volatile int uploads;
    private Thread thread;

    /** {@code runId} and {@code key} may answer null until the run exists on the server. */
    public CheckpointUploader(String baseUrl, Supplier<String> runId, Supplier<String> key, Path dir, long pollMs) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.runId = runId;
        this.key = key;
        this.dir = dir;
        this.pollMs = pollMs;
    }

    /** Files already on the server (a resumed trainer's downloads): not sent back. */
    public void alreadySent(Path file) {
        try {
            sent.put(file.getFileName().toString(), version(file));
        } catch (IOException e) {
            // not there: nothing to skip
        }
    }

    public synchronized CheckpointUploader start() {
        if (thread != null) return this;
        thread = new Thread(this::loop, "trainwatch-checkpoint-upload");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Files sent so far (each version counts once). */
    public int uploads() {
        return uploads;
    }

    /** The last failure, or null. */
    public String error() {
        return error;
    }

    private void loop() {
        long pause = pollMs;
        while (!stopped) {
            boolean done = pass();
            pause = done ? pollMs : Math.min(MAX_PAUSE_MS, Math.max(pollMs, pause * 2));
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Sends what is pending once more, for up to {@code timeoutMs} (the trainer's last checkpoint, after training
     * ended), then stops. True when the server has every checkpoint file there is.
     */
    public boolean finish(long timeoutMs) {
        stopped = true;
        long deadline = System.currentTimeMillis() + timeoutMs;
        long pause = Math.min(pollMs, 1000);
        while (true) {
            if (pass()) return true;
            if (System.currentTimeMillis() + pause > deadline) return false;
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(MAX_PAUSE_MS / 3, pause * 2);
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /** One look at the directory; true when nothing is left to send. Serialised: the loop and finish() never send at once. */
    synchronized boolean pass() {
        String id = runId.get();
        String k = key.get();
        if (id == null || k == null) return false;
        List<Path> pending = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!CheckpointName.valid(name)) continue; // temporary files of a save in progress, anything else
                try {
                    if (!version(p).equals(sent.get(name))) pending.add(p);
                } catch (IOException e) {
                    // pruned meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return true; // no checkpoint yet
        } catch (IOException e) {
            error = "cannot list " + dir + ": " + e;
            return false;
        }
        // a meta before the zip it describes (the server takes a zip only with its meta), then in name order
        pending.sort(Comparator.comparing((Path p) -> !CheckpointName.isMeta(p.getFileName().toString())).thenComparing(Path::toString));
        for (Path p : pending) {
            if (!send(id, k, p)) return false;
        }
        return true;
    }

    /** False when the send should be tried again later. */
    private boolean send(String id, String k, Path file) {
        String name = file.getFileName().toString();
        String version;
        HttpResponse<String> r;
        try {
            version = version(file);
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/ingest/runs/" + id + "/checkpoints/" + name))
                    .timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + k)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (FileNotFoundException | NoSuchFileException e) {
            return true; // pruned by the trainer meanwhile
        } catch (IOException e) {
            error = "checkpoint " + name + " not sent yet: " + e;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int code = r.statusCode();
        if (code / 100 == 2) {
            sent.put(name, version);
            uploads++;
            return true;
        }
        String why = "checkpoint " + name + ": the server answered " + code + " " + clip(r.body());
        error = why;
        if (code >= 500 || code == 408 || code == 409 || code == 429) return false; // later (409: its meta is on its way)
        LOG.warn("{} (not sent again)", why);
        sent.put(name, version);
        return true;
    }

    /** What makes one version of a file: a save replaces it by a rename (a new file key) and changes size or mtime. */
    private static String version(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis();
    }

    private static String clip(String s) {
        if (s == null) return "";
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
