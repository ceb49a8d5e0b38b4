package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * One wire shape: every /api response and live message of a real server with a real short run
 * carries only keys that docs/api.md's examples name (at any depth), so the docs cannot drift
 * from the code and the front end has exactly one shape to read.
 */
class WireShapeTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();

    static final String REST_LIST = "### `GET /api/runs` — one page of the run list";
    static final String REST_CREATE = "### `POST /api/runs` — start a run";
    static final String REST_ONE = "### `GET /api/runs/{id}` — one run";
    static final String REST_SCALARS = "### `GET /api/runs/{id}/scalars?tag=loss&points=1000[&from=STEP&to=STEP]`";
    static final String REST_FILTERS = "### `GET /api/runs/{id}/filters?step=latest|N`";
    static final String REST_ALERTS = "### `GET /api/runs/{id}/alerts`";
    static final String REST_STOP = "### `POST /api/runs/{id}/stop`";
    static final String REST_DELETE = "### `DELETE /api/runs/{id}`";
    static final String REST_CHECK = "### `POST /api/runs/{id}/checks/{overfit|gradients}`";
    static final String ERRORS = "## Errors";
    static final String RUN_LIVE = "## WebSocket `/api/runs/{id}/live[?after=SEQ]`";
    static final String LIST_LIVE = "## WebSocket `/api/live`";

    private final List<String> problems = new ArrayList<>();
    private final Set<String> checked = new TreeSet<>();

    @Test
    void every_response_and_live_message_of_a_real_run_carries_only_keys_docs_api_md_names() throws Exception {
        ApiDocs docs = ApiDocs.load();
        Api api = fixture.api;
        WsProbe list = WsProbe.open(api.base, "/api/live", true);

        // a real trainer run, start to finish
        Api.Res created = api.post("/api/runs", "{\"name\":\"shape\",\"dataset\":\"spiral\",\"epochs\":30,\"evalEvery\":10}");
        assertEquals(201, created.status(), created.body());
        rest(docs, REST_CREATE, created);
        String id = created.json().get("id").asText();
        Api.await("the run finished", Duration.ofSeconds(240), () -> api.status(id).equals("finished"));
        WsProbe live = WsProbe.open(api.base, "/api/runs/" + id + "/live?after=0", true);
        Api.await("the replayed final status", Duration.ofSeconds(60), () -> live.sawStatus("finished"));

        rest(docs, REST_LIST, ok(api.get("/api/runs")));
        rest(docs, REST_ONE, ok(api.get("/api/runs/" + id)));
        rest(docs, REST_SCALARS, ok(api.get("/api/runs/" + id + "/scalars?tag=loss&points=10")));
        rest(docs, ERRORS, status(404, api.get("/api/runs/" + id + "/filters"))); // spiral: no image, no filters
        rest(docs, ERRORS, status(404, api.get("/api/runs/nope")));
        rest(docs, ERRORS, status(400, api.get("/api/runs/" + id + "/scalars?tag=loss&points=many")));

        // a check process started over the API: its result arrives live from its own file (no seq)
        Api.Res check = api.post("/api/runs/" + id + "/checks/gradients", "{}");
        assertEquals(202, check.status(), check.body());
        rest(docs, REST_CHECK, check);
        Api.await("the live check result", Duration.ofSeconds(240), () -> live.ofType("check").stream()
                .anyMatch(c -> c.get("check").asText().equals("gradients") && !c.get("outcome").asText().equals("running")));
        rest(docs, REST_ONE, ok(api.get("/api/runs/" + id))); // now with the check result under "checks"
        live.send("{\"type\":\"what\"}");
        live.send("{\"type\":\"ping\"}");
        Api.await("error and pong", Duration.ofSeconds(60), () -> !live.ofType("error").isEmpty() && !live.ofType("pong").isEmpty());

        // the records a trainer run on images and with trouble writes: filters, alerts, a logged check, a status
        String written = writtenRun(api, docs);

        // stop and delete
        String longRun = api.createRun("{\"dataset\":\"spiral\",\"epochs\":100000}");
        Api.Res stop = api.post("/api/runs/" + longRun + "/stop", "{}");
        assertEquals(202, stop.status(), stop.body());
        rest(docs, REST_STOP, stop);
        Api.await("stopped", Duration.ofSeconds(120), () -> api.status(longRun).equals("stopped"));
        // the list is answered from the run index: a run written outside a trainer appears there within a refresh
        Api.await("the written run listed", Duration.ofSeconds(60), () -> api.get("/api/runs").body().contains(written));
        Api.Res del = ok(api.delete("/api/runs/" + written)); // no trainer of its own: nothing can write its directory again
        rest(docs, REST_DELETE, del);
        try {
            Api.await("the list says removed", Duration.ofSeconds(60), () -> list.ofType("removed").stream()
                    .anyMatch(m -> m.get("id").asText().equals(written)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; list messages: " + list.messages + "; closed " + list.closed.getNow(null)
                    + "; runs " + api.get("/api/runs").body(), e);
        }

        for (JsonNode m : live.messages) message(docs, RUN_LIVE, m);
        for (JsonNode m : list.messages) message(docs, LIST_LIVE, m);
        live.abort();
        list.abort();

        Set<String> liveTypes = new TreeSet<>();
        for (String c : checked) if (c.startsWith(RUN_LIVE)) liveTypes.add(c.substring(RUN_LIVE.length() + 1));
        assertTrue(liveTypes.containsAll(Set.of("hello", "scalars", "status", "check", "alert", "filters", "error", "pong")),
                "every live message type was seen (" + written + "): " + liveTypes);
        assertTrue(checked.containsAll(Set.of(LIST_LIVE + " hello", LIST_LIVE + " run", LIST_LIVE + " removed")), checked.toString());
        assertEquals(List.of(), problems, "keys that docs/api.md does not name");
    }

    /** A run written record by record (as a trainer on image data would), watched live from the start. */
    private String writtenRun(Api api, ApiDocs docs) throws Exception {
        String id = fixture.server.store.newId();
        fixture.server.store.create(id, "{\"name\":\"written\",\"dataset\":\"mnist\"}", RunStatus.QUEUED, "");
        try (RunWriter w = fixture.server.store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            w.flush();
            WsProbe live = WsProbe.open(api.base, "/api/runs/" + id + "/live", true);
            Api.await("hello", Duration.ofSeconds(60), () -> !live.ofType("hello").isEmpty());
            w.check("initial_loss", "pass", "initial loss 2.30 vs ln(10) = 2.30", "{\"loss\":2.3,\"expected\":2.302}");
            w.scalars(0, new String[] {"loss", "val_acc"}, new double[] {2.3, Double.NaN});
            w.scalars(1, new String[] {"loss"}, new double[] {2.1});
            w.filters(1, new int[] {2, 1, 2, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
            w.alert(1, "loss_exploding", "loss", "loss rose 3x above its running minimum", "lower the learning rate");
            w.status(RunStatus.FINISHED, "");
            w.flush();
            Api.await("the final status", Duration.ofSeconds(60), () -> live.sawStatus("finished"));
            for (JsonNode m : live.messages) message(docs, RUN_LIVE, m);
            live.abort();
        }
        rest(docs, REST_FILTERS, ok(api.get("/api/runs/" + id + "/filters?step=latest")));
        rest(docs, REST_ALERTS, ok(api.get("/api/runs/" + id + "/alerts")));
        rest(docs, REST_ONE, ok(api.get("/api/runs/" + id)));
        return id;
    }

    private void rest(ApiDocs docs, String heading, Api.Res r) {
        checked.add(heading);
        problems.addAll(ApiDocs.undocumented(r.json(), docs.shape(heading, null), heading + " " + r.status()));
    }

    private void message(ApiDocs docs, String heading, JsonNode m) {
        String type = m.path("type").asText();
        checked.add(heading + " " + type);
        problems.addAll(ApiDocs.undocumented(m, docs.shape(heading, type), heading + " " + type));
    }

    private static Api.Res ok(Api.Res r) {
        assertEquals(200, r.status(), r.body());
        return r;
    }

    private static Api.Res status(int want, Api.Res r) {
        assertEquals(want, r.status(), r.body());
        return r;
    }
}
