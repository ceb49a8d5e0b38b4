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
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.checkpoint.CheckpointDownload;
import trainwatch.ensemble.EnsembleEvaluator;
import trainwatch.ensemble.EnsembleResult;
import trainwatch.ensemble.EnsembleSpec;
import trainwatch.json.Json;
import trainwatch.run.RunException;

/**
 * `ensemble --eval ID --remote URL [--runs DIR]`: an ensemble evaluation in a Kubernetes Job. Its key
 * (TRAINWATCH_EVAL_KEY) and bundle (TRAINWATCH_ENSEMBLE: the spec, the members' configs and the checkpoint files)
 * come from its Secret; it fetches the members' checkpoints from the server into DIR (the pod's scratch
 * volume) laid out as runs/, evaluates exactly as a local evaluation does, and posts running, then the result
 * (or failed with the reason) to POST /api/ingest/ensembles/{id}/result. Exit codes as for `ensemble --eval`.
 */
final class RemoteEvaluation {
    static final String KEY_ENV = "TRAINWATCH_EVAL_KEY";
    static final String BUNDLE_ENV = "TRAINWATCH_ENSEMBLE";

    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RemoteEvaluation(PrintStream out, PrintStream err, Path dataDir, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
        this.env = env;
    }

    int run(String id, String remote, Path scratch) {
        String url = remote.endsWith("/") ? remote.substring(0, remote.length() - 1) : remote;
        String key = env.get(KEY_ENV), bundleText = env.get(BUNDLE_ENV);
        if (key == null || key.isBlank() || bundleText == null || bundleText.isBlank())
            return fail(EnsembleCommand.BAD, "ensemble --eval ID --remote URL needs " + KEY_ENV + " and " + BUNDLE_ENV + " in the environment");
        try {
            report(url, id, key, "running", "", null);
            JsonNode bundle = Json.tree(bundleText);
            EnsembleSpec spec = Json.MAPPER.treeToValue(bundle.get("spec"), EnsembleSpec.class);
            CheckpointDownload fetch = new CheckpointDownload(url, key);
            for (Iterator<Map.Entry<String, JsonNode>> it = bundle.path("configs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path runDir = scratch.resolve(e.getKey());
                Files.createDirectories(runDir);
                Files.writeString(runDir.resolve("config.json"), e.getValue().asText());
                for (JsonNode name : bundle.path("files").path(e.getKey()))
                    if (!fetch.fetch(e.getKey(), name.asText(), runDir.resolve("checkpoints")))
                        throw RunException.invalid("members", "run " + e.getKey() + " has no checkpoint file " + name.asText() + " on the server any more");
            }
            EnsembleResult result = EnsembleEvaluator.evaluate(spec, scratch, dataDir);
            report(url, id, key, "finished", "", Json.MAPPER.valueToTree(result));
            out.println("ensemble " + id + " finished: its result is on " + url);
            return EnsembleCommand.OK;
        } catch (RunException e) {
            String reason = e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).field() + ": " + e.problems().get(0).message();
            return failed(url, id, key, EnsembleCommand.BAD, reason);
        } catch (Exception | OutOfMemoryError e) {
            return failed(url, id, key, EnsembleCommand.FAILED, TrainCommand.oneLine(e));
        }
    }

    private int failed(String url, String id, String key, int code, String reason) {
        try {
            report(url, id, key, "failed", reason, null);
        } catch (IOException e) {
            err.println("error: could not report the failure to " + url + ": " + TrainCommand.oneLine(e));
        }
        return fail(code, "ensemble " + id + " failed: " + reason);
    }

    /** POST /api/ingest/ensembles/{id}/result, retried for up to 2 minutes while the server cannot be reached. */
    private void report(String url, String id, String key, String status, String reason, JsonNode result) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", status);
        body.put("reason", reason);
        if (result != null) body.set("result", result);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/ingest/ensembles/" + id + "/result")).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        long deadline = System.currentTimeMillis() + 120_000;
        long pause = 1000;
        while (true) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
                if (r.statusCode() < 500) throw new IOException("the server refused the report (" + r.statusCode() + "): " + r.body());
                if (System.currentTimeMillis() + pause > deadline) throw new IOException("the server answered " + r.statusCode());
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("the server refused") || System.currentTimeMillis() + pause > deadline) throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            pause = Math.min(15_000, pause * 2);
        }
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }
}
