package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.checkpoint.CheckpointDownload;
import trainwatch.checkpoint.CheckpointName;
import trainwatch.checkpoint.CheckpointUploader;
import trainwatch.client.TrainwatchClient;
import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.config.StoredConfig;
import trainwatch.data.Dataset;
import trainwatch.data.DatasetException;
import trainwatch.data.Datasets;
import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.train.ResumePoint;
import trainwatch.train.TrainOutcome;

/**
 * `train CONFIG.json --remote URL`: creates a remote run on the server at URL and trains it here, sending
 * every record through the ingest API (spooled while the server is unreachable).
 * `train --remote URL --run ID`: trains a remote run that already exists there (its config read from the
 * server), with the run's ingest key from the environment variable TRAINWATCH_INGEST_KEY (never on the
 * command line, where `ps` would show it). Checkpoints are written to the local runs directory and sent to
 * the server as they are written (CheckpointUploader); with TRAINWATCH_RESUME_FROM=NAME the trainer first fetches
 * that checkpoint from the server and continues from it, as `train --resume` does locally. Exit codes as
 * for a local run.
 */
final class RemoteTrain {
    static final String KEY_ENV = "TRAINWATCH_INGEST_KEY";
    /** A token (docs/auth.md) for servers that require one: editor to create the run, viewer to read an existing run's config. */
    static final String TOKEN_ENV = "TRAINWATCH_TOKEN";
    /** The run's config as JSON, when given (a Kubernetes Job's Secret); otherwise it is read from the server. */
    static final String CONFIG_ENV = "TRAINWATCH_RUN_CONFIG";
    /** The checkpoint a resumed run continues from (a Kubernetes resume Job names it): fetched from the server first. */
    static final String RESUME_ENV = "TRAINWATCH_RESUME_FROM";
    /** How long a trainer keeps sending its last checkpoints after training ended. */
    static final long UPLOAD_FINISH_MS = 120_000;

    private final Training training;
    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final BooleanSupplier stop;
    private final Map<String, String> env;

    RemoteTrain(Training training, PrintStream out, PrintStream err, Path dataDir, BooleanSupplier stop, Map<String, String> env) {
        this.training = training;
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
        this.stop = stop;
        this.env = env;
    }

    int run(TrainArgs a) {
        String url = a.remote().endsWith("/") ? a.remote().substring(0, a.remote().length() - 1) : a.remote();
        String json;
        String key = null;
        if (a.runId() != null) {
            key = env.get(KEY_ENV);
            if (key == null || key.isBlank())
                return fail(TrainCommand.BAD_CONFIG, "train --remote URL --run ID needs the run's ingest key in the environment variable " + KEY_ENV);
            String given = env.get(CONFIG_ENV); // the kubernetes executor hands the config over with the key (no token needed to read it)
            if (given != null && !given.isBlank()) {
                json = given;
            } else {
                try {
                    json = remoteConfig(url, a.runId(), key);
                } catch (IOException e) {
                    return fail(TrainCommand.FAILED, "cannot read run " + a.runId() + " from " + url + ": " + TrainCommand.oneLine(e));
                }
                if (json == null) return fail(TrainCommand.BAD_CONFIG, "no run " + a.runId() + " on " + url);
            }
        } else {
            try {
                json = Files.readString(a.configFile());
            } catch (IOException e) {
                return fail(TrainCommand.BAD_CONFIG, "cannot read " + a.configFile() + ": " + TrainCommand.oneLine(e));
            }
        }
        RunConfig config;
        Dataset data;
        try {
            config = ConfigParser.parse(json, dataDir);
            data = Datasets.load(config, dataDir);
        } catch (ConfigException | DatasetException e) {
            return fail(TrainCommand.BAD_CONFIG, e.getMessage());
        }
        TrainwatchClient.Builder b = TrainwatchClient.builder(url, config.name()).clientName("trainwatch train --remote");
        if (env.get(TOKEN_ENV) != null && !env.get(TOKEN_ENV).isBlank()) b.token(env.get(TOKEN_ENV).trim());
        if (a.runId() != null) b.attach(a.runId(), key);
        else b.config(Json.MAPPER.convertValue(Json.tree(ConfigParser.toJson(config)), Map.class)).classes(data.numClasses());
        TrainwatchClient client = b.spoolDir(a.runsDir().resolve(".spool")).flushIntervalMs(500).finishTimeoutMs(120_000).start();
        Path checkpoints = a.runsDir().resolve(a.runId() != null ? a.runId() : "remote-" + client.spoolFile().getFileName().toString().replace(".spool", ""))
                .resolve("checkpoints");
        ResumePoint from;
        try {
            from = resumePoint(url, a.runId(), key, checkpoints);
        } catch (IOException e) {
            client.close();
            return fail(TrainCommand.FAILED, "cannot fetch the checkpoint to resume from: " + TrainCommand.oneLine(e));
        }
        CheckpointUploader uploader = new CheckpointUploader(url, client::runId, client::ingestKey, checkpoints, 2000);
        if (from != null) {
            uploader.alreadySent(from.checkpoint());
            uploader.alreadySent(from.checkpoint().resolveSibling(from.name() + ".json"));
        }
        uploader.start();
        NativeThreads.capUnlessSet(System.getenv(), err);
        TrainOutcome outcome;
        try (RemoteRunWriter writer = new RemoteRunWriter(client, checkpoints)) {
            out.println("remote run " + (a.runId() != null ? a.runId() : "(" + config.name() + ")") + " on " + url);
            out.flush();
            ProgressPrinter progress = new ProgressPrinter(out, false, config.epochs(), System::nanoTime);
            try {
                BooleanSupplier stopNow = () -> stop.getAsBoolean() || client.stopRequested();
                outcome = from == null ? training.train(config, data, writer, progress, stopNow)
                        : training.resume(config, data, writer, progress, stopNow, from);
                if (outcome == null) outcome = new TrainOutcome(RunStatus.FAILED, "the trainer returned no outcome", 0);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                outcome = new TrainOutcome(RunStatus.FAILED, TrainCommand.oneLine(e), 0);
                writer.status(RunStatus.FAILED, outcome.reason());
            }
            progress.finish();
            if (!client.awaitDelivered(120_000))
                err.println("warning: not every record reached " + url + (client.error() != null ? " (" + client.error() + ")" : "")
                        + "; they are kept in " + client.spoolFile());
        }
        // the records first (above), then the last checkpoints: a checkpoint that cannot be sent never holds up a status
        if (!uploader.finish(UPLOAD_FINISH_MS))
            err.println("warning: not every checkpoint reached " + url + (uploader.error() != null ? " (" + uploader.error() + ")" : "")
                    + "; they are kept in " + checkpoints);
        String summary = "remote run " + client.runId() + " " + outcome.status().wire() + (outcome.reason().isEmpty() ? "" : ": " + outcome.reason());
        if (outcome.status() == RunStatus.FINISHED || outcome.status() == RunStatus.STOPPED) out.println(summary);
        else err.println("error: " + summary);
        out.flush();
        return TrainCommand.exitCode(outcome.status());
    }

    /**
     * The checkpoint named by {@link #RESUME_ENV}, fetched from the server (meta, zip, and the parameter average
     * when there is one) into the local checkpoints directory; null when the run starts from step 0.
     */
    private ResumePoint resumePoint(String url, String runId, String key, Path checkpoints) throws IOException {
        String name = env.get(RESUME_ENV);
        if (name == null || name.isBlank() || runId == null) return null;
        if (!CheckpointName.valid(name.trim()) || CheckpointName.isMeta(name.trim()) || name.trim().equals(CheckpointName.AVERAGE))
            throw new IOException(RESUME_ENV + " must name a checkpoint zip (got " + name + ")");
        String zip = name.trim();
        if (!new CheckpointDownload(url, key).fetchResumePoint(runId, zip, checkpoints, 120_000))
            throw new IOException("the server has no checkpoint " + zip + " of run " + runId);
        out.println("resuming run " + runId + " from " + zip + " (fetched from " + url + ")");
        return ResumePoint.of(checkpoints.resolve(zip));
    }

    /** The run's config as the server stores it, without the keys the ingest API added; null for an unknown run. */
    private String remoteConfig(String url, String id, String key) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r;
        try {
            // the run's own ingest key reads its config (no token needed, also where sign-in is on)
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/ingest/runs/" + id + "/config"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key.trim()).GET();
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw new IOException("the server answered " + r.statusCode());
        JsonNode config = Json.tree(r.body()).path("config");
        if (!config.isObject()) throw new IOException("the server sent no config for run " + id);
        return Json.write(StoredConfig.trainerPart((ObjectNode) config));
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }
}
