package trainwatch.ensemble;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.config.Resources;
import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RemoteEvaluations;
import trainwatch.run.RunException;

/**
 * The server's side of ensemble evaluations that run elsewhere (a Kubernetes Job each, docs/kubernetes.md): it
 * gives each a key and a bundle (spec, the members' configs and the checkpoint files to fetch), takes its report
 * ({@code POST /api/ingest/ensembles/{id}/result}: running, then finished with the result or failed) into the
 * same files a local evaluation writes, and lets its key read its members' checkpoints.
 */
public final class EvaluationsElsewhere {
    /** What an evaluation reports: status running, finished (with result) or failed (with reason). */
    record Report(String status, String reason, JsonNode result) {}

    /** Answer of the report route. */
    public record Reported(String id, String status) {}

    private final EnsembleFiles files;
    private final RemoteEvaluations remote;
    private final Clock clock;

    EvaluationsElsewhere(EnsembleFiles files, RemoteEvaluations remote, Clock clock) {
        this.files = files;
        this.remote = remote;
        this.clock = clock;
    }

    RemoteEvaluations remote() {
        return remote;
    }

    /** Resolves the members here (their checkpoints must be on this server) and starts the evaluation's Job. */
    void start(String id) {
        EnsembleSpec spec = files.spec(id);
        List<Members.Resolved> members = Members.resolve(files.runsRoot(), spec.members(), true);
        ObjectNode bundle = Json.MAPPER.createObjectNode();
        bundle.set("spec", Json.MAPPER.valueToTree(spec));
        ObjectNode configs = bundle.putObject("configs"), fetch = bundle.putObject("files");
        Resources resources = Resources.NONE;
        for (Members.Resolved m : members) {
            configs.put(m.ref().run(), m.configJson());
            ArrayNode names = fetch.has(m.ref().run()) ? (ArrayNode) fetch.get(m.ref().run()) : fetch.putArray(m.ref().run());
            Path zip = m.zip();
            String meta = zip.getFileName().toString().equals("average.zip") ? "average.json" : zip.getFileName() + ".json";
            for (String name : List.of(meta, zip.getFileName().toString())) // a meta before its zip, as the trainer keeps them
                if (Files.isRegularFile(zip.resolveSibling(name)) && !contains(names, name)) names.add(name);
            if (resources == Resources.NONE) resources = resources(Json.tree(m.configJson()).path("resources"));
        }
        String key = EvaluationKeys.issue(files.dir(id));
        remote.start(id, key, Json.write(bundle), resources);
    }

    /** Checks the key (401/403), then records the report; 409 once the ensemble has a final status. */
    synchronized Reported report(String id, String authorization, boolean trusted, byte[] body) {
        if (!trusted) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
                throw RunException.of(RunException.Kind.UNAUTHORIZED, "Authorization", "is required: \"Bearer <the evaluation's key>\"");
            if (!EnsembleFiles.validId(id) || !files.exists(id) || !EvaluationKeys.matches(files.dir(id), authorization.substring(7).trim()))
                throw RunException.of(RunException.Kind.FORBIDDEN, "Authorization", "is not the key of ensemble " + id + "'s evaluation");
        }
        if (!EnsembleFiles.validId(id) || !files.exists(id)) throw RunException.notFound("no ensemble " + id);
        Report r = parse(body);
        EnsembleState now = files.state(id);
        if (now.isFinal()) throw RunException.conflict("ensemble " + id + " is " + now.status() + " already");
        long t = clock.millis();
        switch (r.status()) {
            case EnsembleState.RUNNING -> files.writeState(id, new EnsembleState(EnsembleState.RUNNING, "", 0, t));
            case EnsembleState.FINISHED -> {
                files.writeResult(id, r.result());
                files.writeState(id, new EnsembleState(EnsembleState.FINISHED, "", 0, t));
            }
            default -> files.writeState(id, new EnsembleState(EnsembleState.FAILED, r.reason(), 0, t));
        }
        return new Reported(id, r.status());
    }

    /** Whether a key is that of a live evaluation whose members include the run (it may read the run's checkpoints). */
    boolean readsCheckpoints(String key, String runId) {
        if (key == null) return false;
        for (String id : files.ids()) {
            if (files.state(id).isFinal() || !EvaluationKeys.matches(files.dir(id), key)) continue;
            for (MemberRef m : files.spec(id).members()) if (m.run().equals(runId)) return true;
        }
        return false;
    }

    private static Report parse(byte[] body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw RunException.invalid("", "the body is not valid JSON");
        }
        if (n == null || !n.isObject()) throw RunException.invalid("", "the body must be an object {\"status\", \"reason\", \"result\"}");
        String status = n.path("status").asText("");
        if (!List.of(EnsembleState.RUNNING, EnsembleState.FINISHED, EnsembleState.FAILED).contains(status))
            throw RunException.invalid("status", "must be running, finished or failed (got " + n.path("status") + ")");
        JsonNode result = n.get("result");
        if (status.equals(EnsembleState.FINISHED) && (result == null || !result.isObject()))
            throw RunException.invalid(List.of(new Problem("result", "is required with status finished: the evaluation's result object")));
        String reason = n.path("reason").asText("");
        if (reason.length() > 4000) reason = reason.substring(0, 4000);
        return new Report(status, reason, result);
    }

    private static boolean contains(ArrayNode a, String s) {
        for (JsonNode n : a) if (n.asText().equals(s)) return true;
        return false;
    }

    private static Resources resources(JsonNode r) {
        if (!r.isObject()) return Resources.NONE;
        return new Resources(r.hasNonNull("cpu") ? r.get("cpu").asText() : null, r.hasNonNull("memory") ? r.get("memory").asText() : null);
    }
}
