package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.ingest.IngestLimits;

/** The ingest API against a real in-process server: exactly once, refusals that name the row and field, keys, live, silence. */
class IngestApiTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    static final String REST_INGEST_CREATE = "### `POST /api/ingest/runs` — create a remote run";
    static final String REST_INGEST_RECORDS = "### `POST /api/ingest/runs/{id}/records` — append a batch";

    private Api api() {
        return fixture.api;
    }

    /** Every step's loss, as stored (raw points). */
    private JsonNode losses(String id) {
        Api.Res r = api().get("/api/runs/" + id + "/scalars?tag=loss&points=100000");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static void assertEveryStepOnce(JsonNode series, int steps) {
        assertEquals(steps, series.get("total").asInt(), series.toString());
        for (int i = 0; i < steps; i++) {
            assertEquals(i, series.get("step").get(i).asLong(), "step " + i);
            assertEquals(Ingest.loss(i), series.get("last").get(i).asDouble(), 0.0, "loss at step " + i);
        }
    }

    @Test
    void a_created_remote_run_is_listed_running_with_its_config_and_never_shows_its_key() throws Exception {
        Api.Res r = api().post("/api/ingest/runs", "{\"name\": \"gpu-box\", \"config\": {\"lr\": 0.01, \"batchSize\": 32}, \"classes\": 10,"
                + " \"description\": \"resnet on the lab machine\"}");
        assertEquals(201, r.status(), r.body());
        assertDocumented(REST_INGEST_CREATE, r);
        String id = r.json().get("id").asText(), key = r.json().get("key").asText();
        assertTrue(key.length() >= 40, key);
        Api.Res one = api().get("/api/runs/" + id);
        assertEquals(200, one.status(), one.body());
        JsonNode run = one.json();
        assertEquals("gpu-box", run.get("name").asText());
        assertEquals("running", run.get("status").asText());
        assertEquals(0.01, run.get("config").get("lr").asDouble());
        assertTrue(run.get("config").get("remote").asBoolean());
        assertEquals("resnet on the lab machine", run.get("config").get("description").asText());
        assertFalse(one.body().contains(key), "the key is never served back");
        Api.await("listed", Duration.ofSeconds(30), () -> api().get("/api/runs").body().contains(id));
    }

    @Test
    void a_retried_batch_is_acknowledged_without_duplicates_and_an_overlapping_one_appends_only_what_is_new() {
        Ingest run = Ingest.create(api(), "{\"name\": \"retry\"}");
        Api.Res first = run.send(0, Ingest.rows(0, 10));
        assertDocumented(REST_INGEST_RECORDS, first);
        assertEquals(10, run.next(first));
        assertEquals(10, run.next(run.send(0, Ingest.rows(0, 10))), "the same batch again");
        assertEquals(15, run.next(run.send(5, Ingest.rows(5, 15))), "overlapping: 5 old, 5 new");
        assertEquals(15, run.next(run.send(12, Ingest.rows(12, 15))), "entirely old");
        assertEquals(20, run.next(run.send(15, Ingest.rows(15, 20))));
        assertEveryStepOnce(losses(run.id), 20);
    }

    @Test
    void a_batch_that_leaves_a_gap_is_refused_with_the_seq_expected_and_stores_nothing() {
        Ingest run = Ingest.create(api(), "{\"name\": \"gap\"}");
        assertEquals(5, run.next(run.send(0, Ingest.rows(0, 5))));
        Api.Res gap = run.send(10, Ingest.rows(10, 15)); // batches out of order: 10.. arrives before 5..
        assertEquals(409, gap.status(), gap.body());
        assertEquals(5, gap.json().get("expected").asLong());
        assertEquals("seq", gap.json().get("errors").get(0).get("field").asText());
        assertDocumented(REST_INGEST_RECORDS, gap);
        assertEquals(10, run.next(run.send(5, Ingest.rows(5, 10))));
        assertEquals(15, run.next(run.send(10, Ingest.rows(10, 15))));
        assertEveryStepOnce(losses(run.id), 15);
    }

    @Test
    void bad_batches_are_refused_naming_the_row_and_field_and_store_nothing() {
        Ingest run = Ingest.create(api(), "{\"name\": \"bad\"}");
        assertEquals(3, run.next(run.send(0, Ingest.rows(0, 3))));
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {Ingest.rows(3, 5) + ",{\"type\":\"scalars\",\"step\":5,\"values\":{\"loss\":\"high\"}}", "records[2].values.loss"});
        cases.add(new String[] {"{\"type\":\"scalars\",\"step\":\"3\",\"values\":{\"loss\":1}}", "records[0].step"});
        cases.add(new String[] {Ingest.rows(3, 4) + ",{\"type\":\"histogram\",\"step\":4}", "records[1].type"});
        cases.add(new String[] {Ingest.rows(3, 5) + "," + Ingest.rows(2, 3), "records[2].step"}); // steps going back
        cases.add(new String[] {"{\"type\":\"scalars\",\"step\":1,\"values\":{\"loss\":1}}", "records[0].step"}); // before what is stored
        cases.add(new String[] {"{\"type\":\"scalars\",\"step\":3,\"values\":{\"bad tag!\":1}}", "records[0].values.bad tag!"});
        cases.add(new String[] {"{\"type\":\"filters\",\"step\":3,\"shape\":[2,1,2,2],\"data\":[1,2,3]}", "records[0].data"});
        cases.add(new String[] {"{\"type\":\"status\",\"status\":\"queued\"}", "records[0].status"});
        cases.add(new String[] {"{\"type\":\"scalars\",\"step\":3,\"values\":{\"loss\":1},\"extra\":true}", "records[0].extra"});
        cases.add(new String[] {"{\"type\":\"status\",\"status\":\"finished\"}," + Ingest.rows(3, 4), "records[1]"});
        for (String[] c : cases) {
            Api.Res r = run.send(3, c[0]);
            assertEquals(400, r.status(), c[0] + " -> " + r.body());
            assertEquals(c[1], r.json().get("errors").get(0).get("field").asText(), r.body());
            assertTrue(r.json().get("error").asText().startsWith(c[1]), r.body());
        }
        Api.Res notJson = api().send(HttpRequest.newBuilder(URI.create(api().base + "/api/ingest/runs/" + run.id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + run.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\": 3, \"records\": [")));
        assertEquals(400, notJson.status(), notJson.body());
        Api.Res noSeq = api().send(HttpRequest.newBuilder(URI.create(api().base + "/api/ingest/runs/" + run.id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + run.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"records\": []}")));
        assertEquals(400, noSeq.status(), noSeq.body());
        assertEquals("seq", noSeq.json().get("errors").get(0).get("field").asText());
        assertEquals(3, run.next(run.send(3, "")), "nothing of the refused batches was stored");
        assertEveryStepOnce(losses(run.id), 3);
    }

    @Test
    void an_oversize_batch_is_413_and_the_limits_are_generous_by_default() {
        IngestLimits before = fixture.server.ingest.limits();
        assertTrue(before.maxRecords() >= 10_000, "at least 10,000 rows per batch");
        Ingest run = Ingest.create(api(), "{\"name\": \"big\"}");
        assertEquals(10_000, run.next(run.send(0, Ingest.rows(0, 10_000))));
        try {
            fixture.server.ingest.useLimits(before.withMaxRecords(100).withMaxBodyBytes(64 * 1024));
            Api.Res many = run.send(10_000, Ingest.rows(10_000, 10_101));
            assertEquals(413, many.status(), many.body());
            assertEquals("records", many.json().get("errors").get(0).get("field").asText());
            Api.Res heavy = run.send(10_000, Ingest.rows(10_000, 10_001).replace("}}", "},\"pad\":\"" + "x".repeat(70_000) + "\"}"));
            assertEquals(413, heavy.status(), heavy.body());
            assertEquals("body", heavy.json().get("errors").get(0).get("field").asText());
        } finally {
            fixture.server.ingest.useLimits(before);
        }
        assertEquals(10_000, run.next(run.send(10_000, "")));
        assertEveryStepOnce(losses(run.id), 10_000);
    }

    @Test
    void a_gzip_body_is_accepted() throws Exception {
        Ingest run = Ingest.create(api(), "{\"name\": \"gzip\"}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(("{\"seq\": 0, \"records\": [" + Ingest.rows(0, 500) + "]}").getBytes(StandardCharsets.UTF_8));
        }
        Api.Res r = api().send(HttpRequest.newBuilder(URI.create(api().base + "/api/ingest/runs/" + run.id + "/records"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip").header("Authorization", "Bearer " + run.key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())));
        assertEquals(500, run.next(r));
        Api.Res broken = api().send(HttpRequest.newBuilder(URI.create(api().base + "/api/ingest/runs/" + run.id + "/records"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip").header("Authorization", "Bearer " + run.key)
                .POST(HttpRequest.BodyPublishers.ofString("not gzip at all")));
        assertEquals(400, broken.status(), broken.body());
        assertEveryStepOnce(losses(run.id), 500);
    }

    @Test
    void records_need_the_runs_own_key() {
        Ingest mine = Ingest.create(api(), "{\"name\": \"mine\"}");
        Ingest other = Ingest.create(api(), "{\"name\": \"other\"}");
        Api.Res none = mine.sendAs(null, 0, Ingest.rows(0, 2));
        assertEquals(401, none.status(), none.body());
        assertEquals("Authorization", none.json().get("errors").get(0).get("field").asText());
        Api.Res wrong = mine.sendAs(other.key, 0, Ingest.rows(0, 2));
        assertEquals(403, wrong.status(), wrong.body());
        Api.Res guessed = mine.sendAs(mine.key + "x", 0, Ingest.rows(0, 2));
        assertEquals(403, guessed.status(), guessed.body());
        assertEquals(0, mine.next(mine.send(0, "")), "nothing stored by the refused requests");
        String launched = "/api/ingest/runs/nope-nope/records";
        Api.Res unknown = api().post(launched, "{\"seq\": 0, \"records\": []}");
        assertEquals(404, unknown.status(), unknown.body());
        Api.Res badId = api().post("/api/ingest/runs/NOPE/records", "{\"seq\": 0, \"records\": []}");
        assertEquals(400, badId.status(), badId.body());
    }

    @Test
    void create_refuses_a_bad_request_naming_the_field() {
        Api.Res noName = api().post("/api/ingest/runs", "{\"config\": {}}");
        assertEquals(400, noName.status(), noName.body());
        assertEquals("name", noName.json().get("errors").get(0).get("field").asText());
        Api.Res classes = api().post("/api/ingest/runs", "{\"name\": \"x\", \"classes\": 1}");
        assertEquals("classes", classes.json().get("errors").get(0).get("field").asText());
        Api.Res config = api().post("/api/ingest/runs", "{\"name\": \"x\", \"config\": [1]}");
        assertEquals("config", config.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void an_ingested_run_streams_live_like_a_launched_one_with_non_finite_values_kept() throws Exception {
        Ingest run = Ingest.create(api(), "{\"name\": \"live\", \"classes\": 10}");
        WsProbe live = WsProbe.open(api().base, "/api/runs/" + run.id + "/live", true);
        Api.await("hello", Duration.ofSeconds(30), () -> !live.ofType("hello").isEmpty());
        assertEquals(3, run.next(run.send(0, "{\"type\":\"scalars\",\"step\":0,\"values\":{\"loss\":2.31,\"acc\":0.1}},"
                + "{\"type\":\"scalars\",\"step\":1,\"values\":{\"loss\":\"NaN\",\"acc\":null}},"
                + "{\"type\":\"filters\",\"step\":1,\"shape\":[2,1,2,2],\"data\":[1,2,3,4,5,6,7,8]}")));
        assertEquals(5, run.next(run.send(3, "{\"type\":\"alert\",\"step\":1,\"kind\":\"nonfinite\",\"tag\":\"loss\",\"message\":\"loss is NaN\"},"
                + "{\"type\":\"status\",\"status\":\"diverged\",\"reason\":\"loss is NaN at step 1\"}")));
        Api.await("the final status live", Duration.ofSeconds(30), () -> live.sawStatus("diverged"));
        assertEquals(List.of(0L, 1L), live.steps("loss"));
        assertFalse(live.ofType("filters").isEmpty());
        assertFalse(live.ofType("alert").isEmpty());
        JsonNode detail = api().get("/api/runs/" + run.id).json();
        assertEquals("diverged", detail.get("status").asText());
        assertEquals("NaN", detail.get("latest").get("loss").asText());
        JsonNode check = detail.get("checks").get(0);
        assertEquals("initial_loss", check.get("check").asText(), "judged on ingest, like a launched run");
        assertEquals("pass", check.get("outcome").asText(), detail.toString()); // 2.31 vs ln(10) = 2.303
        assertEquals(200, api().get("/api/runs/" + run.id + "/filters?step=latest").status());
        Api.Res after = run.send(5, Ingest.rows(2, 3));
        assertEquals(409, after.status(), "a finished run takes no more records: " + after.body());
        assertEquals(5, run.next(run.send(3, "{\"type\":\"alert\",\"step\":1,\"kind\":\"nonfinite\",\"tag\":\"loss\",\"message\":\"loss is NaN\"},"
                + "{\"type\":\"status\",\"status\":\"diverged\",\"reason\":\"loss is NaN at step 1\"}")), "its last batch retried is still acknowledged");
        Api.Res del = api().delete("/api/runs/" + run.id);
        assertEquals(200, del.status(), del.body());
        live.abort();
    }

    @Test
    void stop_is_delivered_to_the_remote_trainer_which_ends_its_run() {
        Ingest run = Ingest.create(api(), "{\"name\": \"stoppable\"}");
        assertEquals(2, run.next(run.send(0, Ingest.rows(0, 2))));
        Api.Res stop = api().post("/api/runs/" + run.id + "/stop", "{}");
        assertEquals(202, stop.status(), stop.body());
        Api.Res ack = run.send(2, Ingest.rows(2, 3));
        assertTrue(ack.json().get("stop").asBoolean(), ack.body());
        assertEquals(4, run.next(run.send(3, "{\"type\":\"status\",\"status\":\"stopped\",\"reason\":\"stopped on request\"}")));
        assertEquals("stopped", api().status(run.id));
        assertEquals(409, api().post("/api/runs/" + run.id + "/stop", "{}").status());
        assertEquals(409, api().post("/api/runs/" + run.id + "/resume", "{}").status());
    }

    @Test
    void a_silent_remote_run_reads_interrupted_and_returns_to_running_when_it_sends_again() {
        IngestLimits before = fixture.server.ingest.limits();
        try {
            fixture.server.ingest.useLimits(before.withIdleTimeoutMs(1500));
            Ingest run = Ingest.create(api(), "{\"name\": \"silent\"}");
            assertEquals(2, run.next(run.send(0, Ingest.rows(0, 2))));
            Api.await("interrupted", Duration.ofSeconds(60), () -> api().status(run.id).equals("interrupted"));
            fixture.server.ingest.useLimits(before);
            assertEquals(4, run.next(run.send(2, Ingest.rows(2, 4))));
            assertEquals("running", api().status(run.id));
            assertEquals(5, run.next(run.send(4, "{\"type\":\"status\",\"status\":\"finished\"}")));
            assertEquals("finished", api().status(run.id));
            assertEveryStepOnce(losses(run.id), 4);
        } finally {
            fixture.server.ingest.useLimits(before);
        }
    }

    private static void assertDocumented(String heading, Api.Res r) {
        try {
            ApiDocs docs = ApiDocs.load();
            List<String> problems = ApiDocs.undocumented(r.json(), docs.shape(heading, null), heading + " " + r.status());
            assertEquals(List.of(), problems, "keys that docs/api.md does not name");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
