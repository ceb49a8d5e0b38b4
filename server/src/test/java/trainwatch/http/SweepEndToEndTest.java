package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real sweep of real DL4J spiral trials (child trainer JVMs, two at a time) through the
 * server: created over REST, watched over its WebSocket from the start, finished with every
 * trial a real run that the runs list finds by sweep, and every response and message in the
 * shape docs/api.md shows. Then refine makes a child sweep linked to it, which is stopped.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs on a loaded 2-core machine
class SweepEndToEndTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o.withMaxParallel(2).withChildJvmArgs(List.of("-Xmx512m")));

    static final String SPEC = """
            {"name": "e2e-spiral", "base": {"dataset": "spiral", "epochs": 6, "evalEvery": 1, "trainSize": 150, "valSize": 60,
                                             "model": {"type": "mlp", "hidden": [16]}},
             "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
             "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 0.05, "max": 2},
                            "model.hidden": {"values": [[8], [16]]}},
             "trials": 4, "parallel": 2, "seed": 3,
             "earlyStop": {"type": "asha", "minEpochs": 2, "reductionFactor": 2}}""";

    static final String CREATE = "### `POST /api/sweeps` — start a sweep";
    static final String LIST = "### `GET /api/sweeps` — every sweep";
    static final String ONE = "### `GET /api/sweeps/{id}` — one sweep with its trials";
    static final String STOP = "### `POST /api/sweeps/{id}/stop`";
    static final String REFINE = "### `POST /api/sweeps/{id}/refine`";
    static final String DELETE = "### `DELETE /api/sweeps/{id}[?runs=true]`";
    static final String LIVE = "## WebSocket `/api/sweeps/{id}/live`";

    final List<String> problems = new ArrayList<>();

    @Test
    void a_real_spiral_sweep_runs_end_to_end_live_and_refines() throws Exception {
        ApiDocs docs = ApiDocs.load();
        Api api = fixture.api;
        Api.Res created = api.post("/api/sweeps", SPEC);
        assertEquals(201, created.status(), created.body());
        shape(docs, CREATE, created.json());
        String id = created.json().get("id").asText();
        assertEquals("running", created.json().get("state").asText());

        WsProbe live = WsProbe.open(api.base, "/api/sweeps/" + id + "/live", true);
        Api.await("the sweep finished", Duration.ofSeconds(480), () -> api.get("/api/sweeps/" + id).json().get("state").asText().equals("finished"));
        Api.await("the live summary says finished", Duration.ofSeconds(60), () -> live.ofType("summary").stream()
                .anyMatch(m -> m.get("sweep").get("state").asText().equals("finished")));

        JsonNode d = api.get("/api/sweeps/" + id).json();
        shape(docs, ONE, d);
        JsonNode trials = d.get("trials");
        assertEquals(4, trials.size(), d.toString());
        Set<Integer> numbers = new TreeSet<>();
        Set<String> runIds = new TreeSet<>();
        for (JsonNode t : trials) {
            numbers.add(t.get("n").asInt());
            String run = t.get("run").asText();
            runIds.add(run);
            String status = t.get("status").asText();
            assertTrue(Set.of("finished", "pruned", "failed", "diverged").contains(status), t.toString());
            Api.Res r = api.get("/api/runs/" + run);
            assertEquals(200, r.status(), "trial " + t + " is a real run: " + r.body());
            assertEquals(status, r.json().get("status").asText(), "the trial's status is its run's: " + t);
            if (status.equals("finished")) assertTrue(t.get("value").asDouble() > 0.2, "a finished spiral trial learned something: " + t);
        }
        assertEquals(Set.of(0, 1, 2, 3), numbers, "every trial once");
        assertEquals(4, runIds.size());
        assertNotNull(d.get("best"), d.toString());
        assertTrue(runIds.contains(d.get("best").get("run").asText()));

        // the runs list finds the trials by sweep, and each entry names its sweep
        JsonNode page = api.get("/api/runs?sweep=" + id + "&limit=10").json();
        assertEquals(4, page.get("total").asInt(), page.toString());
        for (JsonNode r : page.get("runs")) assertEquals(id, r.get("sweep").asText());

        // live: the detail first, then trial and summary messages as trials ran
        assertEquals("sweep", live.messages.get(0).get("type").asText());
        assertTrue(live.ofType("trial").size() >= 4, "a trial message per change: " + live.ofType("trial").size());
        for (JsonNode m : live.messages) shape(docs, LIVE, m, m.path("type").asText());
        live.abort();

        shape(docs, LIST, api.get("/api/sweeps").json());

        // coarse to fine: a child sweep linked to this one, stopped at once, then both deleted
        Api.Res refined = api.post("/api/sweeps/" + id + "/refine", "{\"trials\": 2, \"name\": \"e2e refined\"}");
        assertEquals(201, refined.status(), refined.body());
        shape(docs, REFINE, refined.json());
        String child = refined.json().get("id").asText();
        assertEquals(id, refined.json().get("parent").asText());
        assertEquals(409, api.delete("/api/sweeps/" + child).status(), "a running sweep is not deleted");
        Api.Res stop = api.post("/api/sweeps/" + child + "/stop", "{}");
        assertEquals(202, stop.status(), stop.body());
        shape(docs, STOP, stop.json());
        Api.await("the child's trials ended", Duration.ofSeconds(240), () -> api.delete("/api/sweeps/" + child + "?runs=true").status() == 200);
        Api.Res del = api.delete("/api/sweeps/" + id + "?runs=true");
        assertEquals(200, del.status(), del.body());
        shape(docs, DELETE, del.json());
        assertEquals(4, del.json().get("runs_deleted").asInt());
        assertEquals(404, api.get("/api/runs/" + runIds.iterator().next()).status());
        assertEquals(List.of(), problems, "keys that docs/api.md does not name");
    }

    private void shape(ApiDocs docs, String heading, JsonNode actual) {
        shape(docs, heading, actual, null);
    }

    private void shape(ApiDocs docs, String heading, JsonNode actual, String type) {
        problems.addAll(ApiDocs.undocumented(actual, docs.shape(heading, type), heading + (type == null ? "" : " " + type)));
    }
}
