package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 with real child processes, one --max-parallel slot: an evaluation takes the slot (a run
 * created meanwhile waits), DELETE on a running evaluation ends it and frees the slot, and a sweep's
 * top-k trials make a real ensemble.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EnsembleJobsApiTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();
    static final Duration LONG = Duration.ofMinutes(4);

    @Test
    void a_running_evaluation_holds_a_slot_and_delete_ends_it() throws Exception {
        Api api = fixture.api;
        // one untrained cnn over 5000 validation shapes, 64 times: an evaluation that runs long enough to be deleted
        String big = api.createRun("{\"dataset\": \"shapes\", \"seed\": 3, \"trainSize\": 10, \"valSize\": 5000, \"epochs\": 1}");
        Api.await("the member run finished", LONG, () -> api.status(big).equals("finished"));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 64; i++) members.add("\"" + big + "\"");
        Api.Res created = api.post("/api/ensembles", "{\"members\": [" + String.join(", ", members) + "], \"name\": \"slow\"}");
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").asText();
        Api.await("the evaluation running", LONG, () -> api.get("/api/ensembles/" + id).json().get("status").asText().equals("running"));

        String waiting = api.createRun("{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [8]}, \"epochs\": 5}");
        assertEquals(List.of(waiting), fixture.server.supervisor.queued(), "the only slot is the evaluation's: the new run waits");
        assertEquals("queued", api.status(waiting));
        assertEquals("running", api.get("/api/ensembles/" + id).json().get("status").asText(), "still evaluating while the run waited");
        long pid = evaluationPid(id);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the evaluation process " + pid + " is alive");

        Api.Res deleted = api.delete("/api/ensembles/" + id);
        assertEquals(200, deleted.status(), "a running evaluation is ended and deleted: " + deleted.body());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the evaluation process was ended");
        assertEquals(404, api.get("/api/ensembles/" + id).status());
        Api.await("the waiting run got the freed slot and finished", LONG, () -> api.status(waiting).equals("finished"));
    }

    @Test
    void the_top_k_trials_of_a_finished_sweep_are_ensembled() {
        Api api = fixture.api;
        Api.Res sweep = api.post("/api/sweeps", """
                {"name": "tiny-lr", "base": {"dataset": "spiral", "model": {"type": "mlp", "hidden": [16]}, "epochs": 20, "evalEvery": 10, "seed": 5},
                 "method": "grid", "metric": {"tag": "val_acc", "goal": "max"},
                 "parameters": {"optimizer.lr": {"grid": [0.003, 0.1, 1.0]}}}""");
        assertEquals(201, sweep.status(), sweep.body());
        String sid = sweep.json().get("id").asText();
        JsonNode[] detail = new JsonNode[1];
        Api.await("the sweep finished", LONG, () -> (detail[0] = api.get("/api/sweeps/" + sid).json()).get("state").asText().equals("finished"));
        List<JsonNode> trials = new ArrayList<>();
        detail[0].get("trials").forEach(trials::add);
        assertEquals(3, trials.size(), detail[0].toString());

        Api.Res created = api.post("/api/ensembles", "{\"sweep\": \"" + sid + "\", \"top\": 2}");
        assertEquals(201, created.status(), created.body());
        JsonNode done = awaitFinal(api, created.json().get("id").asText());
        assertEquals("finished", done.get("status").asText(), done.toString());
        assertEquals("sweep", done.get("source").get("kind").asText());
        assertEquals(sid, done.get("source").get("sweep").asText());

        Set<String> chosen = new HashSet<>();
        done.get("members").forEach(m -> chosen.add(m.get("run").asText()));
        assertEquals(2, chosen.size(), "two distinct trials: " + done.get("members"));
        double worstChosen = Double.MAX_VALUE, bestLeftOut = -Double.MAX_VALUE;
        for (JsonNode t : trials) {
            double v = t.get("value").asDouble();
            if (chosen.contains(t.get("run").asText())) {
                assertEquals("finished", t.get("status").asText());
                worstChosen = Math.min(worstChosen, v);
            } else bestLeftOut = Math.max(bestLeftOut, v);
        }
        assertTrue(worstChosen >= bestLeftOut, "the members are the best trials by val_acc: " + trials + " chose " + chosen);
        JsonNode r = done.get("result");
        assertEquals(2, r.get("members").size());
        assertTrue(r.get("members").get(0).get("name").asText().startsWith("tiny-lr #"), r.get("members").toString());
        assertTrue(r.get("ensemble").get("val_acc").asDouble() > 0, r.toString());
        assertEquals(2, r.get("curve").size());
    }

    private static long evaluationPid(String id) throws Exception {
        JsonNode s = trainwatch.json.Json.MAPPER.readTree(
                fixture.runs.resolve(".ensembles").resolve(id).resolve("status.json").toFile());
        return s.get("pid").asLong();
    }

    private static JsonNode awaitFinal(Api api, String id) {
        JsonNode[] last = new JsonNode[1];
        Api.await("ensemble " + id + " finished or failed", LONG, () -> {
            last[0] = api.get("/api/ensembles/" + id).json();
            String s = last[0].get("status").asText();
            return s.equals("finished") || s.equals("failed");
        });
        return last[0];
    }
}
