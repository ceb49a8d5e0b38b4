package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.runlist.ManyRuns;
import trainwatch.store.RunWriter;

/** Archive, unarchive, bulk delete and the list's parameters, on 60 generated runs plus one live one. */
class RunHousekeepingTest {
    static final int N = 60;
    static Path root;
    static TrainwatchServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        root = ManyRuns.freshDir("tw-housekeeping");
        ManyRuns.generate(root.resolve("runs"), N);
        server = new TrainwatchServer(ServerFixture.options(root.resolve("runs")).withChildJvmArgs(java.util.List.of("-Xmx512m"))).start();
        api = new Api(server.port());
        Api.await("indexed", Duration.ofSeconds(120), () -> api.get("/api/runs?limit=1").json().get("total").asInt() == N
                && !api.get("/api/runs?limit=1").json().get("indexing").asBoolean());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        Api.assertNo5xx();
        ManyRuns.deleteTree(root);
    }

    @Test
    void an_archived_run_leaves_the_default_list_stays_on_disk_and_comes_back_with_one_click() {
        String id = ManyRuns.id(3);
        JsonNode a = api.post("/api/runs/" + id + "/archive", "{}").json();
        assertTrue(a.get("archived").asBoolean(), a.toString());
        assertFalse(ids(api.get("/api/runs?limit=1000").json()).contains(id), "hidden by default");
        assertTrue(Files.isDirectory(server.store.dir(id)), "kept on disk");
        JsonNode only = api.get("/api/runs?archived=true").json();
        assertEquals(List.of(id), new ArrayList<>(ids(only)));
        assertEquals(N, api.get("/api/runs?archived=all&limit=1").json().get("total").asInt());
        assertEquals(200, api.get("/api/runs/" + id).status(), "its page still opens");

        assertFalse(api.post("/api/runs/" + id + "/unarchive", "{}").json().get("archived").asBoolean());
        assertTrue(ids(api.get("/api/runs?limit=1000").json()).contains(id), "restored");
    }

    @Test
    void a_live_run_cannot_be_archived_and_a_bulk_delete_leaves_it_alone() throws Exception {
        String id = "live-one";
        server.store.create(id, "{\"name\":\"live-one\",\"dataset\":\"spiral\"}", RunStatus.QUEUED, "");
        try (RunWriter w = server.store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            w.flush();
            Api.Res r = api.post("/api/runs/" + id + "/archive", "{}");
            assertEquals(409, r.status(), r.body());
            JsonNode plan = api.post("/api/runs/delete", "{\"ids\": [\"" + id + "\"], \"dry_run\": false}").json();
            assertEquals(0, plan.get("deleted").size(), plan.toString());
            assertEquals(id, plan.get("skipped").get(0).get("id").asText());
            assertTrue(Files.isDirectory(server.store.dir(id)));
            w.status(RunStatus.STOPPED, "test over");
        }
    }

    @Test
    void a_bulk_delete_by_filter_says_how_much_disk_comes_back_then_deletes_exactly_the_matching_runs() {
        String filter = "{\"status\": \"diverged\", \"q\": \"adam\"}";
        Set<String> expected = new HashSet<>();
        long bytes = 0;
        for (JsonNode r : api.get("/api/runs?status=diverged&q=adam&limit=1000").json().get("runs")) {
            expected.add(r.get("id").asText());
            bytes += r.get("disk_bytes").asLong();
        }
        assertFalse(expected.isEmpty(), "the generator made some");
        JsonNode dry = api.post("/api/runs/delete", "{\"filter\": " + filter + ", \"dry_run\": true}").json();
        assertTrue(dry.get("dry_run").asBoolean());
        assertEquals(expected, new HashSet<>(texts(dry.get("deleted"))));
        assertEquals(bytes, dry.get("freed_bytes").asLong());
        for (String id : expected) assertTrue(Files.isDirectory(server.store.dir(id)), "a dry run deletes nothing");

        int before = api.get("/api/runs?archived=all&limit=1").json().get("total").asInt();
        JsonNode done = api.post("/api/runs/delete", "{\"filter\": " + filter + "}").json();
        assertEquals(expected, new HashSet<>(texts(done.get("deleted"))));
        for (String id : expected) assertFalse(Files.exists(server.store.dir(id)), id + " deleted");
        JsonNode after = api.get("/api/runs?archived=all&limit=1").json();
        assertEquals(before - expected.size(), after.get("total").asInt(), "the list and its counts know at once");
    }

    @Test
    void list_parameters_that_make_no_sense_are_400s_naming_the_parameter() {
        for (String[] c : new String[][] {{"limit=0", "limit"}, {"limit=abc", "limit"}, {"sort=colour", "sort"}, {"order=up", "order"},
                {"status=running,bogus", "status"}, {"cursor=not-a-cursor", "cursor"}, {"archived=maybe", "archived"}}) {
            Api.Res r = api.get("/api/runs?" + c[0]);
            assertEquals(400, r.status(), c[0] + ": " + r.body());
            assertEquals(c[1], r.json().get("errors").get(0).get("field").asText(), r.body());
        }
        String cursor = api.get("/api/runs?limit=2&sort=name").json().get("next_cursor").asText();
        Api.Res other = api.get("/api/runs?limit=2&sort=created&cursor=" + cursor);
        assertEquals(400, other.status(), "a cursor of another sort: " + other.body());
        assertEquals(400, api.post("/api/runs/delete", "{\"ids\": [\"a\"], \"filter\": {}}").status());
        assertEquals(400, api.post("/api/runs/delete", "{\"filter\": {\"colour\": \"red\"}}").status());
        assertEquals(404, api.post("/api/runs/delete", "{\"ids\": [\"no-such-run\"]}").status());
    }

    @Test
    void sorting_by_best_val_acc_ascending_puts_the_lowest_first_and_counts_follow_the_search() {
        JsonNode page = api.get("/api/runs?sort=best_val_acc&order=asc&limit=5&q=sgd&archived=all").json();
        double prev = -1;
        for (JsonNode r : page.get("runs")) {
            assertTrue(r.get("name").asText().contains("sgd"));
            double v = r.get("best_val_acc").asDouble();
            assertTrue(v >= prev, v + " after " + prev);
            prev = v;
        }
        int sum = 0;
        for (JsonNode n : page.get("counts")) sum += n.asInt();
        assertEquals(page.get("total").asInt(), sum, "without a status filter the counts add up to the total");
    }

    static Set<String> ids(JsonNode page) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : page.get("runs")) out.add(r.get("id").asText());
        return out;
    }

    static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : arr) out.add(n.asText());
        return out;
    }
}
