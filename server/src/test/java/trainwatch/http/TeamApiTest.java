package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * Notes, tags and export over the REST API of an in-process server: what a teammate does on a
 * run page, what the run list and live stream then show, and that every bad request is a 4xx
 * naming its field and stores nothing. Responses and the live note message are held against
 * docs/api.md's examples.
 */
class TeamApiTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    static final String NOTES_GET = "### `GET /api/runs/{id}/notes`";
    static final String NOTES_POST = "### `POST /api/runs/{id}/notes`";
    static final String TAGS_GET = "### `GET /api/runs/{id}/tags`";
    static final String TAGS_POST = "### `POST /api/runs/{id}/tags`";

    /** A finished run of 100 steps written straight into the store (no trainer needed). */
    static String writtenRun(String name) {
        var store = fixture.server.store;
        String id = store.newId();
        store.create(id, "{\"name\":\"" + name + "\",\"dataset\":\"spiral\"}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (int s = 0; s < 100; s++) w.scalars(s, 1_764_000_000_000L + s, new String[] {"loss", "lr/layer0"}, new double[] {1.0 / (s + 1), 0.01});
            w.scalars(99, 1_764_000_000_100L, new String[] {"val_acc"}, new double[] {Double.NaN});
            w.status(RunStatus.FINISHED, "");
        }
        fixture.server.index.touch(id);
        return id;
    }

    @Test
    void a_note_is_stored_with_author_and_time_listed_and_pushed_to_open_run_pages() throws Exception {
        ApiDocs docs = ApiDocs.load();
        Api api = fixture.api;
        String id = writtenRun("noted");
        WsProbe live = WsProbe.open(api.base, "/api/runs/" + id + "/live", true);
        Api.await("hello", Duration.ofSeconds(60), () -> !live.ofType("hello").isEmpty());

        Api.Res added = api.post("/api/runs/" + id + "/notes", "{\"text\": \"  lr too high after step 40\\nretry with 0.01  \"}");
        assertEquals(201, added.status(), added.body());
        assertEquals("lr too high after step 40\nretry with 0.01", added.json().get("text").asText(), "stored stripped");
        assertEquals("local", added.json().get("author").asText());
        assertEquals(1, added.json().get("n").asLong());
        assertTrue(added.json().get("t").asLong() > 1_700_000_000_000L);
        assertEquals(List.of(), ApiDocs.undocumented(added.json(), docs.shape(NOTES_POST, null), NOTES_POST));

        Api.await("the note pushed live", Duration.ofSeconds(60), () -> !live.ofType("note").isEmpty());
        JsonNode pushed = live.ofType("note").get(0);
        assertEquals(added.json().get("text"), pushed.get("text"));
        assertEquals(List.of(), ApiDocs.undocumented(pushed, docs.shape(WireShapeTest.RUN_LIVE, "note"), "note message"));
        live.abort();

        assertEquals(201, api.post("/api/runs/" + id + "/notes", "{\"text\": \"second\"}").status());
        Api.Res list = api.get("/api/runs/" + id + "/notes");
        assertEquals(200, list.status(), list.body());
        assertEquals(List.of(), ApiDocs.undocumented(list.json(), docs.shape(NOTES_GET, null), NOTES_GET));
        JsonNode notes = list.json().get("notes");
        assertEquals(2, notes.size());
        assertEquals("second", notes.get(1).get("text").asText());
        assertEquals(2, notes.get(1).get("n").asLong());
        assertEquals(2, Files.readAllLines(fixture.runs.resolve(id).resolve("notes.jsonl")).size(), "appended to the run's own file");
    }

    @Test
    void bad_notes_are_refused_naming_the_field_and_store_nothing() throws Exception {
        Api api = fixture.api;
        String id = writtenRun("refused");
        String notes = "/api/runs/" + id + "/notes";
        refused(api.post(notes, "{\"text\": \"\"}"), 400, "text");
        refused(api.post(notes, "{\"text\": \"   \\n \"}"), 400, "text");
        refused(api.post(notes, "{\"text\": \"" + "x".repeat(2001) + "\"}"), 400, "text");
        refused(api.post(notes, "{\"text\": 42}"), 400, "text");
        refused(api.post(notes, "{}"), 400, "text");
        refused(api.post(notes, "{\"text\": \"bell \\u0007\"}"), 400, "text");
        refused(api.post(notes, "{\"text\": \"ok\", \"author\": \"mallory\"}"), 400, "author");
        refused(api.post(notes, "not json"), 400, "");
        refused(api.post("/api/runs/20990101-000000-none/notes", "{\"text\": \"hi\"}"), 404, "");
        refused(api.post("/api/runs/NOT..VALID/notes", "{\"text\": \"hi\"}"), 400, "id");
        refused(api.get("/api/runs/20990101-000000-none/notes"), 404, "");
        assertFalse(Files.exists(fixture.runs.resolve(id).resolve("notes.jsonl")), "nothing stored");
        assertFalse(Files.exists(fixture.runs.resolve("20990101-000000-none")), "no directory made for an unknown run");
        assertEquals(201, api.post(notes, "{\"text\": \"" + "x".repeat(2000) + "\"}").status(), "exactly the limit is fine");
    }

    @Test
    void tags_show_in_the_run_list_filter_it_and_reach_open_run_lists() throws Exception {
        ApiDocs docs = ApiDocs.load();
        Api api = fixture.api;
        String a = writtenRun("tagged-a"), b = writtenRun("tagged-b");
        WsProbe list = WsProbe.open(api.base, "/api/live", true);
        Api.await("hello", Duration.ofSeconds(60), () -> !list.ofType("hello").isEmpty());

        Api.Res added = api.post("/api/runs/" + a + "/tags", "{\"add\": [\"baseline\", \"paper-fig.3\"]}");
        assertEquals(200, added.status(), added.body());
        assertEquals(List.of(), ApiDocs.undocumented(added.json(), docs.shape(TAGS_POST, null), TAGS_POST));
        assertEquals("[\"baseline\",\"paper-fig.3\"]", added.json().get("tags").toString());
        assertEquals(200, api.post("/api/runs/" + b + "/tags", "{\"add\": [\"baseline\"]}").status());

        Api.await("the tag pushed to open run lists", Duration.ofSeconds(60), () -> list.ofType("run").stream()
                .anyMatch(m -> m.get("run").get("id").asText().equals(a) && m.get("run").get("tags").toString().contains("paper-fig.3")));
        assertEquals(List.of(a), ids(api.get("/api/runs?tag=paper-fig.3")));
        assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(ids(api.get("/api/runs?tag=baseline"))));

        Api.Res removed = api.post("/api/runs/" + a + "/tags", "{\"remove\": [\"baseline\"]}");
        assertEquals("[\"paper-fig.3\"]", removed.json().get("tags").toString());
        assertEquals(List.of(b), ids(api.get("/api/runs?tag=baseline")));
        Api.Res got = api.get("/api/runs/" + a + "/tags");
        assertEquals(List.of(), ApiDocs.undocumented(got.json(), docs.shape(TAGS_GET, null), TAGS_GET));
        assertEquals("[\"paper-fig.3\"]", got.json().get("tags").toString());
        Api.await("the removal pushed", Duration.ofSeconds(60), () -> {
            List<JsonNode> runs = list.ofType("run").stream().filter(m -> m.get("run").get("id").asText().equals(a)).toList();
            return !runs.isEmpty() && runs.get(runs.size() - 1).get("run").get("tags").toString().equals("[\"paper-fig.3\"]");
        });
        list.abort();
    }

    @Test
    void bad_tags_are_refused_naming_the_field_and_store_nothing() {
        Api api = fixture.api;
        String id = writtenRun("badtags");
        String tags = "/api/runs/" + id + "/tags";
        refused(api.post(tags, "{\"add\": [\"ok\", \"has space\"]}"), 400, "add[1]");
        refused(api.post(tags, "{\"add\": [\"<script>\"]}"), 400, "add[0]");
        refused(api.post(tags, "{\"add\": [\"-leading\"]}"), 400, "add[0]");
        refused(api.post(tags, "{\"add\": [\"" + "a".repeat(41) + "\"]}"), 400, "add[0]");
        refused(api.post(tags, "{\"add\": [7]}"), 400, "add[0]");
        refused(api.post(tags, "{\"add\": \"baseline\"}"), 400, "add");
        refused(api.post(tags, "{\"colour\": [\"x\"]}"), 400, "colour");
        refused(api.post(tags, "{}"), 400, "add");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) many.add("\"t" + i + "\"");
        refused(api.post(tags, "{\"add\": [" + String.join(",", many) + "]}"), 400, "add");
        refused(api.post("/api/runs/20990101-000000-none/tags", "{\"add\": [\"x\"]}"), 404, "");
        assertFalse(Files.exists(fixture.runs.resolve(id).resolve("tags.json")), "nothing stored");
        assertEquals("[]", api.get(tags).json().get("tags").toString());
    }

    @Test
    void export_streams_every_point_as_csv_or_json_lines_and_refuses_bad_parameters() {
        Api api = fixture.api;
        String id = writtenRun("exported");
        Api.Res csv = api.get("/api/runs/" + id + "/export?format=csv");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        List<String> lines = csv.body().lines().toList();
        assertEquals("step,t,loss,lr/layer0,val_acc", lines.get(0));
        assertEquals(102, lines.size(), "header + 100 records + the val_acc record");
        assertEquals("0,1764000000000,1.0,0.01,", lines.get(1));
        assertEquals("99,1764000000100,,,NaN", lines.get(101));

        Api.Res jsonl = api.get("/api/runs/" + id + "/export?format=jsonl&tag=val_acc");
        assertEquals(200, jsonl.status(), jsonl.body());
        List<String> jl = jsonl.body().lines().toList();
        assertEquals(2, jl.size(), jsonl.body());
        JsonNode head = trainwatch.json.Json.tree(jl.get(0));
        assertEquals("run", head.get("type").asText());
        assertEquals("exported", head.get("name").asText());
        assertEquals("{\"type\":\"scalars\",\"step\":99,\"t\":1764000000100,\"values\":{\"val_acc\":\"NaN\"}}", jl.get(1));

        refused(api.get("/api/runs/" + id + "/export?format=xlsx"), 400, "format");
        refused(api.get("/api/runs/" + id + "/export?tag=nope"), 404, "tag");
        refused(api.get("/api/runs/" + id + "/export?tag="), 400, "tag");
        refused(api.get("/api/runs/20990101-000000-none/export"), 404, "");
    }

    private static List<String> ids(Api.Res r) {
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode run : r.json().get("runs")) out.add(run.get("id").asText());
        return out;
    }

    static void refused(Api.Res r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        JsonNode errors = r.json().get("errors");
        assertTrue(errors != null && errors.size() > 0, r.body());
        assertEquals(field, errors.get(0).get("field").asText(), r.body());
    }

    static Path runDir(String id) {
        return fixture.runs.resolve(id);
    }
}
