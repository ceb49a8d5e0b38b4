package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.testkit.SweepFiles;

/**
 * The sweep routes against a real server whose sweeps were written as files (no trainer runs):
 * every bad request is a 4xx naming its field and creates nothing, every route answers in the
 * documented shape, the live socket sends the detail first, refuses what it must, answers
 * garbage with an error and stays open; and the server never answers a 5xx.
 */
class SweepRoutesTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    static final String GOOD = """
            {"name": "ok", "base": {"dataset": "spiral", "epochs": 2}, "method": "random",
             "metric": {"tag": "val_acc", "goal": "max"},
             "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 1e-4, "max": 1}},
             "trials": 2, "parallel": 1, "seed": 1}""";

    /** A bad spec: the body, the field its first error must name. */
    record Bad(String field, String body) {}

    static List<Bad> badSpecs() {
        return List.of(
                new Bad("", "not json"),
                new Bad("", "[1, 2]"),
                new Bad("name", GOOD.replace("\"name\": \"ok\", ", "")),
                new Bad("name", GOOD.replace("\"name\": \"ok\"", "\"name\": \"\"")),
                new Bad("method", GOOD.replace("\"random\"", "\"bayes\"")),
                new Bad("metric.tag", GOOD.replace("\"tag\": \"val_acc\"", "\"tag\": \"accuracy\"")),
                new Bad("metric.goal", GOOD.replace("\"goal\": \"max\"", "\"goal\": \"up\"")),
                new Bad("parameters.optimizer.lr.min", GOOD.replace("\"min\": 1e-4", "\"min\": 0")),
                new Bad("parameters.optimizer.lr", GOOD.replace("\"min\": 1e-4, \"max\": 1", "\"min\": 1, \"max\": 1e-4")),
                new Bad("parameters.optimizer.lrr", GOOD.replace("\"optimizer.lr\"", "\"optimizer.lrr\"")),
                new Bad("parameters.name", GOOD.replace("\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 1e-4, \"max\": 1}",
                        "\"name\": {\"values\": [\"a\", \"b\"]}")),
                new Bad("parameters.model.hidden", GOOD.replace("\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 1e-4, \"max\": 1}",
                        "\"model.hidden\": {\"values\": []}")),
                new Bad("trials", GOOD.replace("\"trials\": 2", "\"trials\": 0")),
                new Bad("parallel", GOOD.replace("\"parallel\": 1", "\"parallel\": 0")),
                new Bad("base.optimizer.lrr", GOOD.replace("\"epochs\": 2}", "\"epochs\": 2, \"optimizer\": {\"lrr\": 1}}")),
                new Bad("colour", GOOD.replace("\"seed\": 1}", "\"seed\": 1, \"colour\": \"red\"}")),
                new Bad("earlyStop.type", GOOD.replace("\"seed\": 1}", "\"seed\": 1, \"earlyStop\": {\"type\": \"hyperband\"}}")));
    }

    @Test
    void every_bad_spec_is_a_400_that_names_its_field_and_creates_nothing() throws Exception {
        Api api = fixture.api;
        List<String> problems = new ArrayList<>();
        for (Bad b : badSpecs()) {
            Api.Res r = api.post("/api/sweeps", b.body());
            if (r.status() != 400) {
                problems.add(b.field() + ": got " + r.status() + " " + r.body());
                continue;
            }
            JsonNode errors = r.json().get("errors");
            boolean named = b.field().isEmpty() ? errors.size() > 0
                    : Stream.of(errors).flatMap(e -> stream(e)).anyMatch(e -> e.path("field").asText().startsWith(b.field()));
            if (!named) problems.add(b.field() + ": no error names it: " + r.body());
        }
        assertEquals(List.of(), problems);
        assertEquals(0, api.get("/api/sweeps").json().get("sweeps").size(), "a refused spec made a sweep");
        assertEquals(0, api.get("/api/runs?limit=5").json().get("total").asInt(), "a refused spec made a run");
        try (Stream<java.nio.file.Path> left = Files.list(fixture.runs)) {
            assertTrue(left.noneMatch(p -> !p.getFileName().toString().startsWith(".")), "a refused spec wrote a run directory");
        }
    }

    @Test
    void unknown_and_malformed_ids_are_404_and_400_on_every_route() {
        Api api = fixture.api;
        String unknown = "s20991231-235959-zzzz";
        assertEquals(404, api.get("/api/sweeps/" + unknown).status());
        assertEquals(404, api.post("/api/sweeps/" + unknown + "/stop", "{}").status());
        assertEquals(404, api.post("/api/sweeps/" + unknown + "/refine", "{}").status());
        assertEquals(404, api.delete("/api/sweeps/" + unknown).status());
        Api.Res bad = api.get("/api/sweeps/not-a-sweep");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("id", bad.json().get("errors").get(0).get("field").asText());
        Api.Res runsFlag = api.delete("/api/sweeps/" + unknown + "?runs=maybe");
        assertEquals(400, runsFlag.status(), runsFlag.body());
        assertEquals("runs", runsFlag.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void state_changes_need_json_and_our_own_origin() {
        int port = fixture.server.port();
        String host = "127.0.0.1:" + port;
        RawHttp.Res form = RawHttp.request(port, "POST", "/api/sweeps", host, Map.of("Content-Type", "application/x-www-form-urlencoded"), "a=b");
        assertEquals(415, form.status(), form.body());
        RawHttp.Res foreign = RawHttp.request(port, "POST", "/api/sweeps", host,
                Map.of("Content-Type", "application/json", "Origin", "http://evil.example"), GOOD);
        assertEquals(403, foreign.status(), foreign.body());
        assertEquals(0, fixture.api.get("/api/sweeps").json().get("sweeps").size());
    }

    @Test
    void a_sweep_on_disk_is_listed_shown_live_refused_to_stop_and_deleted() throws Exception {
        Api api = fixture.api;
        SweepFiles files = SweepFiles.write(fixture.runs, "on-disk", 12, false);
        String id = files.id;

        JsonNode list = api.get("/api/sweeps").json().get("sweeps");
        assertTrue(Stream.of(list).flatMap(SweepRoutesTest::stream).anyMatch(s -> s.get("id").asText().equals(id)), list.toString());

        Api.Res one = api.get("/api/sweeps/" + id);
        assertEquals(200, one.status(), one.body());
        JsonNode d = one.json();
        assertEquals("finished", d.get("state").asText());
        assertEquals(12, d.get("trials").size());
        assertEquals(5, d.get("params").size());
        assertTrue(d.get("params").get(0).get("log").asBoolean(), "optimizer.lr is a log axis: " + d.get("params"));
        SweepFiles.Trial best = files.trials.stream().filter(t -> t.status().equals("finished"))
                .max(java.util.Comparator.comparingDouble(SweepFiles.Trial::value)).orElseThrow();
        assertEquals(best.run(), d.get("best").get("run").asText());

        // live: the detail first; a ping is answered; garbage gets an error and the socket stays open
        WsProbe live = WsProbe.open(api.base, "/api/sweeps/" + id + "/live", true);
        Api.await("the sweep message", Duration.ofSeconds(30), () -> !live.ofType("sweep").isEmpty());
        assertEquals("sweep", live.messages.get(0).get("type").asText());
        JsonNode first = live.ofType("sweep").get(0);
        assertEquals(id, first.get("sweep").get("id").asText());
        assertEquals(List.of(), ApiDocs.undocumented(first, ApiDocs.load().shape("## WebSocket `/api/sweeps/{id}/live`", "sweep"), "sweep"),
                "keys of the sweep message that docs/api.md does not name");
        JsonNode cols = first.get("trials");
        assertEquals(12, cols.get("n").size(), "the trials as columns: " + first);
        for (String c : List.of("run", "status", "value", "epochs", "reason", "retry_of")) assertEquals(12, cols.get(c).size(), c);
        // the columns hold what the REST detail's trial objects hold, trial by trial
        JsonNode rest = api.get("/api/sweeps/" + id).json().get("trials");
        for (int i = 0; i < 12; i++) {
            JsonNode t = rest.get(i);
            assertEquals(t.get("run").asText(), cols.get("run").get(i).asText());
            assertEquals(t.get("status").asText(), cols.get("status").get(i).asText());
            assertEquals(t.get("value"), cols.get("value").get(i));
            assertEquals(t.get("values").get("optimizer.lr"), cols.get("values").get("optimizer.lr").get(i));
            assertEquals(t.get("values").get("model.hidden"), cols.get("values").get("model.hidden").get(i));
        }
        live.send("{\"type\":\"ping\"}");
        Api.await("a pong", Duration.ofSeconds(30), () -> !live.ofType("pong").isEmpty());
        live.send("not json at all");
        live.send("{\"type\":\"stop\"}");
        Api.await("two errors", Duration.ofSeconds(30), () -> live.ofType("error").size() == 2);
        live.send("{\"type\":\"ping\"}");
        Api.await("still open after garbage", Duration.ofSeconds(30), () -> live.ofType("pong").size() == 2);
        assertFalse(live.closed.isDone());

        // upgrades refused with a JSON error: unknown sweep, malformed id, foreign Origin
        int port = fixture.server.port();
        String host = "127.0.0.1:" + port;
        assertEquals(404, RawHttp.upgrade(port, "/api/sweeps/s20991231-235959-zzzz/live", host, null).status());
        assertEquals(400, RawHttp.upgrade(port, "/api/sweeps/NOPE/live", host, null).status());
        RawHttp.Res evil = RawHttp.upgrade(port, "/api/sweeps/" + id + "/live", host, "http://evil.example");
        assertEquals(403, evil.status(), evil.body());
        assertTrue(evil.body().contains("Origin"), evil.body());

        // a finished sweep cannot be stopped; refine refuses unknown keys and names them
        assertEquals(409, api.post("/api/sweeps/" + id + "/stop", "{}").status());
        Api.Res refineBad = api.post("/api/sweeps/" + id + "/refine", "{\"trails\": 3}");
        assertEquals(400, refineBad.status(), refineBad.body());
        assertEquals("trails", refineBad.json().get("errors").get(0).get("field").asText());
        Api.Res refineTrials = api.post("/api/sweeps/" + id + "/refine", "{\"trials\": 0}");
        assertEquals(400, refineTrials.status(), refineTrials.body());
        assertEquals("trials", refineTrials.json().get("errors").get(0).get("field").asText());

        Api.Res del = api.delete("/api/sweeps/" + id);
        assertEquals(200, del.status(), del.body());
        assertEquals(id, del.json().get("deleted").asText());
        assertEquals(0, del.json().get("runs_deleted").asInt());
        assertEquals(404, api.get("/api/sweeps/" + id).status());
        live.abort();
    }

    @Test
    void the_sweep_list_is_live_a_sweep_another_process_writes_appears_and_a_deleted_one_goes() throws Exception {
        Api api = fixture.api;
        SweepFiles first = SweepFiles.write(fixture.runs, "list-first", 3, false);
        WsProbe live = WsProbe.open(api.base, "/api/sweeps/live", true);
        Api.await("the list", Duration.ofSeconds(30), () -> !live.ofType("sweeps").isEmpty());
        JsonNode list = live.messages.get(0);
        assertEquals("sweeps", list.get("type").asText());
        assertTrue(stream(list.get("sweeps")).anyMatch(s -> s.get("id").asText().equals(first.id)), list.toString());
        ApiDocs docs = ApiDocs.load();
        String heading = "## WebSocket `/api/sweeps/live`";
        assertEquals(List.of(), ApiDocs.undocumented(list, docs.shape(heading, "sweeps"), "sweeps"));

        // a sweep that another process (a `sweep` command) writes on the same runs/ is announced
        SweepFiles second = SweepFiles.write(fixture.runs, "list-second", 4, false);
        Api.await("a summary of the new sweep", Duration.ofSeconds(60), () -> live.ofType("summary").stream()
                .anyMatch(m -> m.get("sweep").get("id").asText().equals(second.id)));
        JsonNode summary = live.ofType("summary").stream().filter(m -> m.get("sweep").get("id").asText().equals(second.id)).findFirst().orElseThrow();
        assertEquals("finished", summary.get("sweep").get("state").asText());
        assertEquals(4, summary.get("sweep").get("trials").asInt());
        assertEquals(List.of(), ApiDocs.undocumented(summary, docs.shape(heading, "summary"), "summary"));

        assertEquals(200, api.delete("/api/sweeps/" + first.id).status());
        Api.await("the deleted message", Duration.ofSeconds(30), () -> live.ofType("deleted").stream().anyMatch(m -> m.get("id").asText().equals(first.id)));
        assertEquals(List.of(), ApiDocs.undocumented(live.ofType("deleted").get(0), docs.shape(heading, "deleted"), "deleted"));

        live.send("{\"type\":\"ping\"}");
        Api.await("a pong", Duration.ofSeconds(30), () -> !live.ofType("pong").isEmpty());
        live.send("garbage");
        Api.await("an error", Duration.ofSeconds(30), () -> !live.ofType("error").isEmpty());
        assertFalse(live.closed.isDone());
        int port = fixture.server.port();
        RawHttp.Res evil = RawHttp.upgrade(port, "/api/sweeps/live", "127.0.0.1:" + port, "http://evil.example");
        assertEquals(403, evil.status(), evil.body());
        live.abort();
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
