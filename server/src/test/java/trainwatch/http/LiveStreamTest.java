package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** A real spiral run, trained by a child JVM, streamed over a JDK WebSocket with no gap and no duplicate, across a reconnect. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class LiveStreamTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();

    @Test
    void every_iteration_arrives_once_and_a_reconnect_with_after_gets_exactly_what_was_missed() throws Exception {
        String id = fixture.api.createRun("{\"name\":\"stream\",\"dataset\":\"spiral\",\"epochs\":600,\"evalEvery\":100}");
        WsProbe first = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live?after=0", true);
        Api.await("some scalars", Duration.ofSeconds(120), () -> first.maxSeq() >= 200);
        first.abort();
        WsProbe got = first.snapshot(); // seq and steps from the same messages, whatever arrives after the abort
        long seen = got.maxSeq();
        List<Long> before = got.steps("loss");

        Api.await("the run to move on", Duration.ofSeconds(120), () -> fixture.server.hub.lastSeq(id) > seen + 100 || fixture.api.status(id).equals("finished"));
        WsProbe second = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live?after=" + seen, true);
        Api.await("the run to finish", Duration.ofSeconds(180), () -> second.sawStatus("finished", "failed", "diverged", "interrupted"));
        assertTrue(second.sawStatus("finished"), "finished: " + second.ofType("status"));

        JsonNode hello = second.ofType("hello").get(0);
        assertEquals(second.messages.get(0), hello, "hello comes first");
        long firstSeqAfter = second.ofType("scalars").get(0).get("seq").asLong();
        assertTrue(firstSeqAfter > seen, "nothing at or before after=" + seen);

        List<Long> all = new ArrayList<>(before);
        all.addAll(second.steps("loss"));
        assertEquals(all.size(), new HashSet<>(all).size(), "no step twice");
        long iterations = all.stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
        Steps.assertExactly(0, iterations, all, "streamed steps");

        // The stored history agrees with what was streamed.
        Api.Res r = fixture.api.get("/api/runs/" + id + "/scalars?tag=loss&points=100000");
        assertEquals(200, r.status(), r.body());
        assertEquals(iterations, r.json().get("total").asLong());
        assertEquals(iterations, r.json().get("step").size());
        second.abort();
    }

    @Test
    void the_detail_list_and_query_routes_answer_for_a_finished_run_and_the_run_list_stream_follows_it() throws Exception {
        WsProbe list = WsProbe.open(fixture.api.base, "/api/live", true);
        Api.await("list hello", Duration.ofSeconds(60), () -> !list.ofType("hello").isEmpty());
        String id = fixture.api.createRun("{\"dataset\":\"spiral\",\"epochs\":60,\"evalEvery\":20}");
        Api.await("finished", Duration.ofSeconds(180), () -> fixture.api.status(id).equals("finished"));
        Api.await("the list stream saw it finish", Duration.ofSeconds(60), () -> list.ofType("run").stream()
                .anyMatch(m -> m.get("run").get("id").asText().equals(id) && m.get("run").get("status").asText().equals("finished")));
        JsonNode d = fixture.api.get("/api/runs/" + id).json();
        assertEquals(id, d.get("id").asText());
        assertEquals("spiral", d.get("config").get("dataset").asText());
        assertTrue(d.get("tags").toString().contains("\"loss\""), d.toString());
        assertEquals(59, d.get("progress").get("step").asLong());
        assertTrue(d.get("latest").has("loss"), d.toString());

        JsonNode row = null;
        for (JsonNode n : fixture.api.get("/api/runs").json().get("runs")) if (n.get("id").asText().equals(id)) row = n;
        assertTrue(row != null && row.get("status").asText().equals("finished"), String.valueOf(row));
        assertTrue(row.get("best_val_acc").isNumber() && row.get("best_val_acc_step").isNumber(), row.toString());

        JsonNode s = fixture.api.get("/api/runs/" + id + "/scalars?tag=loss&points=10").json();
        assertEquals(60, s.get("total").asLong());
        assertTrue(s.get("step").size() <= 10 && s.get("step").size() > 0);
        assertEquals(59, s.get("step").get(s.get("step").size() - 1).asLong(), "the newest point is always included");

        assertEquals(400, fixture.api.get("/api/runs/" + id + "/scalars?tag=loss&points=abc").status());
        assertEquals("points", fixture.api.get("/api/runs/" + id + "/scalars?tag=loss&points=0").json().get("errors").get(0).get("field").asText());
        assertEquals("tag", fixture.api.get("/api/runs/" + id + "/scalars").json().get("errors").get(0).get("field").asText());
        assertEquals(404, fixture.api.get("/api/runs/" + id + "/scalars?tag=nope").status());
        Api.Res filters = fixture.api.get("/api/runs/" + id + "/filters?step=latest");
        assertEquals(404, filters.status(), "spiral has no image input");
        assertTrue(filters.json().get("error").asText().contains("image"), filters.body());
        assertEquals(400, fixture.api.get("/api/runs/" + id + "/filters?step=x").status());
        assertEquals(200, fixture.api.get("/api/runs/" + id + "/alerts").status());
        Api.Res log = fixture.api.get("/api/runs/" + id + "/log");
        assertEquals(200, log.status());
        assertTrue(log.contentType().startsWith("text/plain"));

        assertEquals(200, fixture.api.delete("/api/runs/" + id).status());
        assertEquals(404, fixture.api.get("/api/runs/" + id).status());
        Api.await("the list stream saw it go", Duration.ofSeconds(60), () -> list.ofType("removed").stream()
                .anyMatch(m -> m.get("id").asText().equals(id)));
        list.abort();
    }
}
