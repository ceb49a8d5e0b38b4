package trainwatch.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one training run to a trainwatch server (its ingest API, docs/clients.md):
 * <pre>{@code
 * try (TrainwatchClient tw = TrainwatchClient.create("http://gpu-box:7070", "resnet-lr0.1")) {
 *     for (int step = 0; step < steps; step++) tw.log(step, Map.of("loss", loss, "train_acc", acc));
 *     tw.finish("finished");
 * }
 * }</pre>
 * {@link #log} never touches the network: records go to a local spool file and a background thread
 * sends them in batches, in order, each exactly once (the server acknowledges by seq). When the
 * server is unreachable the thread retries with backoff while the spool grows on disk, and replays
 * it in order when the server is back; memory stays bounded.
 */
public final class TrainwatchClient implements AutoCloseable {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /** How a client is set up; {@link TrainwatchClient#builder} names each part. */
    public static final class Builder {
        private final String url;
        private final String name;
        private String token;
        private Map<String, ?> config;
        private Integer classes;
        private String description;
        private String clientName = "trainwatch-java";
        private Path spoolDir;
        private long flushIntervalMs = 1000;
        private int maxBatch = 5000;
        private long finishTimeoutMs = 60_000;
        private String runId;
        private String key;

        private Builder(String url, String name) {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://")))
                throw new IllegalArgumentException("url must start with http:// or https:// (got " + url + ")");
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be empty");
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.name = name;
        }

        /** An editor token, when the server requires one to create runs. */
        public Builder token(String t) {
            this.token = t;
            return this;
        }

        /** Free-form settings shown on the run's page (learning rate, batch size, ...). */
        public Builder config(Map<String, ?> c) {
            this.config = c;
            return this;
        }

        /** The class count, so the server judges the initial loss against ln(classes). */
        public Builder classes(int c) {
            this.classes = c;
            return this;
        }

        public Builder description(String d) {
            this.description = d;
            return this;
        }

        /** What the run's page shows as the sending client (default "trainwatch-java"; the DL4J listener says so). */
        public Builder clientName(String c) {
            if (c != null && !c.isBlank()) this.clientName = c.length() > 200 ? c.substring(0, 200) : c;
            return this;
        }

        /** Where the spool file lives (default: java.io.tmpdir/trainwatch-spool). */
        public Builder spoolDir(Path dir) {
            this.spoolDir = dir;
            return this;
        }

        /** How long records may wait to be batched (default 1000 ms). */
        public Builder flushIntervalMs(long ms) {
            this.flushIntervalMs = Math.max(1, ms);
            return this;
        }

        /** Records per request (default 5000; the server takes up to 50,000). */
        public Builder maxBatch(int n) {
            this.maxBatch = Math.max(1, n);
            return this;
        }

        /** How long {@link TrainwatchClient#finish} waits for the server to take everything (default 60 s). */
        public Builder finishTimeoutMs(long ms) {
            this.finishTimeoutMs = Math.max(0, ms);
            return this;
        }

        /**
         * Sends to a run that already exists on the server (created by POST /api/ingest/runs) with its ingest key,
         * continuing after the records it holds; the name is then only for messages.
         */
        public Builder attach(String id, String ingestKey) {
            if (id == null || !id.matches("[a-z0-9-]{1,64}")) throw new IllegalArgumentException("run id must match [a-z0-9-]{1,64} (got " + id + ")");
            if (ingestKey == null || ingestKey.isBlank()) throw new IllegalArgumentException("the ingest key of run " + id + " is required");
            this.runId = id;
            this.key = ingestKey;
            return this;
        }

        public TrainwatchClient start() {
            return new TrainwatchClient(this);
        }
    }

    private final Builder opts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Spool spool;
    private final Thread sender;
    private final Object signal = new Object();
    private volatile String runId;
    private volatile String key;
    /** Local spool seq -> the run's seq: base + local (an attached run may hold records already). -1 until known. */
    private volatile long base;
    /** Local seqs below this are acknowledged. */
    private volatile long acked;
    private volatile boolean stopRequested;
    private volatile boolean closing;
    private volatile boolean finished;
    private volatile String fatal;
    private volatile int failures;
    private volatile long lastStep = -1;

    private TrainwatchClient(Builder b) {
        this.opts = b;
        this.runId = b.runId;
        this.key = b.key;
        this.base = b.runId == null ? 0 : -1;
        Path dir = b.spoolDir != null ? b.spoolDir : Path.of(System.getProperty("java.io.tmpdir"), "trainwatch-spool");
        this.spool = new Spool(dir.resolve(UUID.randomUUID() + ".spool"));
        this.sender = new Thread(this::sendLoop, "trainwatch-client-sender");
        sender.setDaemon(true);
        sender.start();
    }

    public static Builder builder(String url, String name) {
        return new Builder(url, name);
    }

    public static TrainwatchClient create(String url, String name) {
        return builder(url, name).start();
    }

    public static TrainwatchClient create(String url, String name, String token) {
        return builder(url, name).token(token).start();
    }

    /** Values of some tags at a step (steps must not decrease). NaN and infinities are sent as they are; null values are left out. */
    public void log(long step, Map<String, ? extends Number> values) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (step < lastStep) throw new IllegalArgumentException("steps must not decrease: got " + step + " after " + lastStep);
        StringBuilder sb = new StringBuilder(32 + values.size() * 24);
        sb.append("{\"type\":\"scalars\",\"step\":").append(step).append(",\"t\":").append(System.currentTimeMillis()).append(",\"values\":{");
        boolean first = true;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (e.getValue() == null) continue;
            if (!TAG.matcher(e.getKey()).matches() || e.getKey().length() > 200)
                throw new IllegalArgumentException("invalid tag name " + e.getKey() + ": letters, digits, _ . - in segments joined by /");
            if (!first) sb.append(',');
            first = false;
            sb.append(JsonText.string(e.getKey())).append(':').append(JsonText.number(e.getValue().doubleValue()));
        }
        sb.append("}}");
        lastStep = step;
        append(sb.toString());
    }

    /** The first layer's weights as images, [nOut][nIn][kH][kW] in that order. */
    public void logFilters(long step, int[] shape, float[] data) {
        if (shape.length != 4) throw new IllegalArgumentException("shape must have 4 dims [nOut, nIn, kH, kW]");
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("data has " + data.length + " floats, shape needs " + n);
        byte[] b = new byte[data.length * 4];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
        append("{\"type\":\"filters\",\"step\":" + step + ",\"t\":" + System.currentTimeMillis() + ",\"shape\":" + JsonText.value(shape)
                + ",\"data\":\"" + java.util.Base64.getEncoder().encodeToString(b) + "\"}");
    }

    /** An alert of the trainer's own (kind e.g. "nonfinite", "loss_exploding"). */
    public void alert(long step, String kind, String tag, String message, String advice) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "alert");
        m.put("step", step);
        m.put("t", System.currentTimeMillis());
        m.put("kind", kind);
        m.put("tag", tag == null ? "" : tag);
        m.put("message", message);
        m.put("advice", advice == null ? "" : advice);
        append(JsonText.value(m));
    }

    private void append(String record) {
        if (finished) throw new IllegalStateException("the run is finished: it takes no more records");
        spool.append(record);
        if (spool.nextSeq() - acked >= opts.maxBatch) wake();
    }

    /** A sanity check of the trainer's own (outcome "pass", "warn" or "fail"; details a JSON object's text). */
    public void check(String name, String outcome, String summary, String detailsJson) {
        append("{\"type\":\"check\",\"check\":" + JsonText.string(name) + ",\"outcome\":" + JsonText.string(outcome)
                + ",\"summary\":" + JsonText.string(summary == null ? "" : summary) + ",\"details\":"
                + (detailsJson == null || detailsJson.isBlank() ? "{}" : detailsJson) + "}");
    }

    /** True once someone asked the run to stop on the dashboard: end training, then {@code finish("stopped")}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The run's id on the server, or null until the server has been reached. */
    public String runId() {
        return runId;
    }

    /** The run's ingest key (it may also send the run's checkpoints), or null until the server has been reached. */
    public String ingestKey() {
        return runId == null ? null : key;
    }

    /** Where records wait until the server has them. */
    public Path spoolFile() {
        return spool.file();
    }

    /** Records logged but not yet acknowledged by the server. */
    public long pending() {
        return spool.nextSeq() - acked;
    }

    /**
     * Ends the run with a final status ("finished", "failed", "diverged", "stopped") and waits up to the
     * finish timeout for the server to take everything. Returns true when all was delivered; otherwise the
     * spool file is kept (its path is printed) and the sender keeps trying while this JVM lives.
     */
    public boolean finish(String status) {
        return finish(status, "");
    }

    public boolean finish(String status, String reason) {
        if (!List.of("finished", "failed", "diverged", "stopped").contains(status))
            throw new IllegalArgumentException("status must be finished, failed, diverged or stopped (got " + status + ")");
        if (finished) return awaitDelivered(opts.finishTimeoutMs);
        append("{\"type\":\"status\",\"status\":" + JsonText.string(status) + ",\"reason\":" + JsonText.string(reason == null ? "" : reason) + "}");
        finished = true;
        return awaitDelivered(opts.finishTimeoutMs);
    }

    /** Waits until every record logged so far is acknowledged; false on timeout or a refusal the client cannot fix. */
    public boolean awaitDelivered(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        wake();
        while (acked < spool.nextSeq() && fatal == null && System.nanoTime() < deadline) {
            synchronized (signal) {
                try {
                    signal.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return acked >= spool.nextSeq();
    }

    /** Why the server refused the run for good (a bad key, a deleted run), or null. */
    public String error() {
        return fatal;
    }

    /** Waits for delivery (up to the finish timeout), then stops the sender; deletes the spool when everything arrived. */
    @Override
    public void close() {
        boolean all = awaitDelivered(opts.finishTimeoutMs);
        closing = true;
        wake();
        try {
            sender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (all) spool.delete();
        else {
            spool.close();
            System.err.println("trainwatch: " + pending() + " records of run " + runId + " were not delivered"
                    + (fatal != null ? " (" + fatal + ")" : " (server unreachable)") + "; they are in " + spool.file());
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    // --- the sender thread

    private void sendLoop() {
        long backoff = 250;
        long lastSend = 0;
        while (!closing && fatal == null) {
            try {
                if (runId == null) {
                    createRun();
                    backoff = 250;
                    continue;
                }
                if (base < 0) {
                    probeNext();
                    backoff = 250;
                    continue;
                }
                long waiting = spool.nextSeq() - acked;
                boolean due = waiting >= opts.maxBatch || finished || System.currentTimeMillis() - lastSend >= opts.flushIntervalMs;
                if (waiting == 0 || !due) {
                    pause(waiting == 0 ? opts.flushIntervalMs : opts.flushIntervalMs - (System.currentTimeMillis() - lastSend));
                    continue;
                }
                List<Spool.Line> batch = spool.read(acked, opts.maxBatch, 16 << 20);
                if (batch.isEmpty()) continue;
                lastSend = System.currentTimeMillis();
                sendBatch(batch);
                failures = 0;
                backoff = 250;
            } catch (RetryLater e) {
                failures++;
                pauseAtLeast(Math.max(backoff, e.ms)); // the server said when (503 Retry-After): never sooner
                backoff = Math.min(10_000, backoff * 2);
            } catch (IOException e) {
                failures++;
                pause(backoff); // server down or unreachable: the spool keeps everything, try again later
                backoff = Math.min(10_000, backoff * 2);
            } catch (RuntimeException e) {
                fatal = "client error: " + e;
            } finally {
                wake();
            }
        }
    }

    /** This machine's name, shown with the run (where it comes from); "" when it cannot be told. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String h = java.net.InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) return h.length() > 200 ? h.substring(0, 200) : h;
        } catch (IOException | RuntimeException e) {
            // no name resolution here: fall back to the environment
        }
        return env == null ? "" : env.length() > 200 ? env.substring(0, 200) : env;
    }

    private void createRun() throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", opts.name);
        if (opts.config != null) body.put("config", opts.config);
        if (opts.classes != null) body.put("classes", opts.classes);
        if (opts.description != null) body.put("description", opts.description);
        body.put("host", hostName());
        body.put("client", opts.clientName);
        HttpResponse<String> r = post("/api/ingest/runs", opts.token, JsonText.value(body));
        if (r.statusCode() == 201) {
            key = JsonText.stringField(r.body(), "key");
            runId = JsonText.stringField(r.body(), "id");
        } else if (r.statusCode() >= 500 || r.statusCode() == 429) {
            throw RetryLater.of(r);
        } else {
            fatal = "the server refused to create the run: " + r.statusCode() + " " + r.body();
        }
    }

    /** An attached run: an empty batch answers with the seq the server expects; this client's records go after it. */
    private void probeNext() throws IOException {
        HttpResponse<String> r = post("/api/ingest/runs/" + runId + "/records", key, "{\"seq\":0,\"records\":[]}");
        Long next = JsonText.longField(r.body(), "next");
        if (r.statusCode() == 200 && next != null) {
            base = next;
            if (JsonText.trueField(r.body(), "stop")) stopRequested = true;
        } else if (r.statusCode() >= 500 || r.statusCode() == 429) {
            throw RetryLater.of(r);
        } else {
            fatal = "the server refused run " + runId + ": " + r.statusCode() + " " + r.body();
            System.err.println("trainwatch: " + fatal);
        }
    }

    private void sendBatch(List<Spool.Line> batch) throws IOException {
        StringBuilder sb = new StringBuilder(batch.size() * 128);
        sb.append("{\"seq\":").append(base + batch.get(0).seq()).append(",\"records\":[");
        for (int i = 0; i < batch.size(); i++) sb.append(i == 0 ? "" : ",").append(batch.get(i).json());
        sb.append("]}");
        HttpResponse<String> r = post("/api/ingest/runs/" + runId + "/records", key, sb.toString());
        int code = r.statusCode();
        if (code == 200) {
            Long next = JsonText.longField(r.body(), "next");
            if (next != null) acked = next - base;
            if (JsonText.trueField(r.body(), "stop")) stopRequested = true;
        } else if (code == 409 && JsonText.longField(r.body(), "expected") != null) {
            acked = Math.max(0, JsonText.longField(r.body(), "expected") - base); // resend from where the server is
        } else if (code == 413 && batch.size() > 1) {
            opts.maxBatch = Math.max(1, batch.size() / 2);
        } else if (code >= 500 || code == 429) {
            throw RetryLater.of(r);
        } else {
            fatal = "the server refused records " + batch.get(0).seq() + ".." + batch.get(batch.size() - 1).seq() + ": " + code + " " + r.body();
            System.err.println("trainwatch: " + fatal);
        }
    }

    private HttpResponse<String> post(String path, String bearer, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(opts.url + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        if (body.length > 32 * 1024) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4);
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(body);
            }
            body = out.toByteArray();
            b.header("Content-Encoding", "gzip");
        }
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            return http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Waits ms even when woken meanwhile (new records, finish); only close ends it early. */
    private void pauseAtLeast(long ms) {
        long end = System.nanoTime() + ms * 1_000_000L;
        for (long left = ms; left > 0 && !closing; left = (end - System.nanoTime()) / 1_000_000L) pause(left);
    }

    private void pause(long ms) {
        if (ms <= 0) return;
        synchronized (signal) {
            try {
                signal.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
