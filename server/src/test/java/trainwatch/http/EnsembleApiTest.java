package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 over REST with real child processes (trainers and evaluations): ensembles of given
 * members, of a run's last checkpoints and of seeds; every refusal a 4xx naming its field; every
 * response's keys documented in docs/api.md; no 5xx (the fixture checks).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EnsembleApiTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();
    static final Duration LONG = Duration.ofMinutes(4);

    static String spiral(long seed) {
        return "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, \"epochs\": 30, \"seed\": " + seed + ", \"evalEvery\": 10}";
    }

    @Test
    void ensembles_of_members_of_a_run_s_checkpoints_and_of_seeds_are_evaluated_and_documented() throws Exception {
        Api api = fixture.api;
        ApiDocs docs = ApiDocs.load();
        List<String> problems = new ArrayList<>();
        String a = api.createRun(spiral(1)), b = api.createRun(spiral(2));
        Api.await("both runs finished", LONG, () -> api.status(a).equals("finished") && api.status(b).equals("finished"));

        Api.Res created = api.post("/api/ensembles", "{\"members\": [\"" + a + "\", \"" + b + ":final\"], \"name\": \"two\"}");
        assertEquals(201, created.status(), created.body());
        problems.addAll(ApiDocs.undocumented(created.json(), docs.shape("### `POST /api/ensembles` — evaluate an ensemble", null), "created"));
        String two = created.json().get("id").asText();
        JsonNode done = awaitFinal(api, two);
        assertEquals("finished", done.get("status").asText(), done.toString());
        JsonNode r = done.get("result");
        assertEquals(2, r.get("members").size());
        assertEquals("spiral", r.get("dataset").asText());
        assertTrue(r.get("ensemble").get("val_acc").asDouble() > 0.4, r.toString());
        assertTrue(r.get("averaged").isNull() && r.get("images").isNull(), "no parameter averaging asked; spiral has no images");
        problems.addAll(ApiDocs.undocumented(done, docs.shape("### `GET /api/ensembles/{id}` — one ensemble with its result", null), "detail"));

        String last = api.post("/api/ensembles", "{\"run\": \"" + a + "\", \"last\": 2}").json().get("id").asText();
        JsonNode lastDone = awaitFinal(api, last);
        assertEquals("finished", lastDone.get("status").asText(), lastDone.toString());
        // the last checkpoints.keep (3) epochs are always saved; final is at epoch 30's step, so it is not a second member
        assertEquals("epoch-0029", lastDone.get("members").get(0).get("checkpoint").asText());
        assertEquals("epoch-0030", lastDone.get("members").get(1).get("checkpoint").asText());
        assertTrue(lastDone.get("result").get("averaged").isObject(), "a run's checkpoints are parameter-averaged by default: " + lastDone);

        Api.Res seeds = api.post("/api/ensembles", "{\"seeds\": 2, \"run\": \"" + a + "\"}");
        assertEquals(201, seeds.status(), seeds.body());
        assertEquals("waiting", seeds.json().get("status").asText());
        assertEquals(2, seeds.json().get("runs").size());
        String seedRun = seeds.json().get("runs").get(0).asText();
        assertEquals(2, api.get("/api/runs/" + seedRun).json().get("config").get("seed").asInt(), "run a had seed 1: the repeats get 2, 3");
        JsonNode seedsDone = awaitFinal(api, seeds.json().get("id").asText());
        assertEquals("finished", seedsDone.get("status").asText(), seedsDone.toString());
        assertEquals(2, seedsDone.get("result").get("members").size());

        Api.Res list = api.get("/api/ensembles");
        assertEquals(200, list.status());
        assertEquals(3, list.json().size());
        assertEquals(seeds.json().get("id").asText(), list.json().get(0).get("id").asText(), "newest first");
        problems.addAll(ApiDocs.undocumented(list.json(), docs.shape("### `GET /api/ensembles` — all ensembles, newest first", null), "list"));

        Api.Res log = api.get("/api/ensembles/" + two + "/log");
        assertEquals(200, log.status());
        Api.Res deleted = api.delete("/api/ensembles/" + two);
        assertEquals(200, deleted.status(), deleted.body());
        problems.addAll(ApiDocs.undocumented(deleted.json(), docs.shape("### `DELETE /api/ensembles/{id}`", null), "deleted"));
        assertEquals(404, api.get("/api/ensembles/" + two).status());
        assertEquals(List.of(), problems, "keys docs/api.md does not name");

        // refusals name their field
        refused(api, "{}", "members");
        refused(api, "{\"members\": []}", "members");
        refused(api, "{\"members\": [\"" + a + ":latest\"]}", "members[0]");
        refused(api, "{\"members\": [\"" + a + "\", \"no-such-run\"]}", "members[1]");
        refused(api, "{\"members\": [\"" + a + "\", \"" + b + ":average\"]}", "members[1]");
        refused(api, "{\"members\": [\"" + a + "\"], \"colour\": 1}", "colour");
        refused(api, "{\"run\": \"" + a + "\", \"last\": 1}", "last");
        refused(api, "{\"seeds\": 2}", "config");
        refused(api, "{\"seeds\": 200, \"run\": \"" + a + "\"}", "seeds");
        refused(api, "{\"seeds\": 2, \"run\": \"no-such-run\"}", "run");
        refused(api, "{\"seeds\": 2, \"config\": {\"optimizer\": {\"lr\": -1}}}", "config.optimizer.lr");
        refused(api, "{\"sweep\": \"s1\", \"top\": 3}", "sweep");
        Path other = Files.createDirectories(fixture.runs.resolve("shapes-elsewhere"));
        Files.writeString(other.resolve("config.json"), "{\"dataset\": \"shapes\"}");
        JsonNode mismatch = refused(api, "{\"members\": [\"" + a + "\", \"shapes-elsewhere\"]}", "members[1]");
        assertTrue(mismatch.get("error").asText().contains("same dataset"), mismatch.toString());
        assertEquals(400, api.post("/api/ensembles", "not json").status());
        assertEquals(404, api.get("/api/ensembles/nope").status());
        assertEquals(404, api.delete("/api/ensembles/nope").status());
        assertEquals(400, api.get("/api/ensembles/NOPE..").status() / 100 * 100);
    }

    private static JsonNode refused(Api api, String body, String field) {
        Api.Res r = api.post("/api/ensembles", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        assertEquals(field, r.json().get("errors").get(0).get("field").asText(), r.body());
        return r.json();
    }

    private static JsonNode awaitFinal(Api api, String id) {
        JsonNode[] last = new JsonNode[1];
        Api.await("ensemble " + id + " finished or failed", LONG, () -> {
            last[0] = api.get("/api/ensembles/" + id).json();
            String s = last[0].get("status").asText();
            return s.equals("finished") || s.equals("failed");
        });
        assertFalse(last[0].get("result").isNull() && last[0].get("status").asText().equals("finished"));
        return last[0];
    }
}
