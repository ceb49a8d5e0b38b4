package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.testkit.OpenFiles;

/**
 * Active remote runs with many tags, streamed and listed: each holds at most 4 file descriptors under
 * runs/ (its writer's log and trainer lock, its live feed's log and block index) whatever its number of
 * tags, and the run list still shows each one's progress (step, seq, loss, val_acc, best, disk use),
 * read through the live hub's reader instead of one more of the index's own.
 */
class RemoteRunDescriptorsTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    static final int RUNS = 12;
    static final int TAGS = 30;

    /** Rows for steps [from, to): loss = 1/(step+1), val_acc = step/1000, and TAGS - 2 more tags. */
    static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int s = from; s < to; s++) {
            if (sb.length() > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, "{\"type\":\"scalars\",\"step\":%d,\"values\":{\"loss\":%s,\"val_acc\":%s", s,
                    Double.toString(1.0 / (s + 1)), Double.toString(s / 1000.0)));
            for (int t = 2; t < TAGS; t++) sb.append(",\"layer_").append(t).append("/update_ratio\":").append(t + s);
            sb.append("}}");
        }
        return sb.toString();
    }

    @Test
    void each_active_remote_run_holds_at_most_four_descriptors_whatever_its_tags_and_is_listed_with_its_progress() {
        Api api = fixture.api;
        int before = OpenFiles.under(fixture.runs);
        List<Ingest> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) runs.add(Ingest.create(api, "{\"name\": \"fd-" + i + "\"}"));
        Api.await("the live hub tails every remote run", Duration.ofSeconds(60),
                () -> runs.stream().allMatch(r -> fixture.server.hub.reader(r.id) != null));
        for (Ingest r : runs) assertEquals(200, r.send(0, rows(0, 70)).status());
        for (Ingest r : runs) assertEquals(200, r.send(70, rows(70, 140)).status()); // two 64-step blocks sealed: summaries written

        Map<String, JsonNode> listed = new HashMap<>();
        Api.await("every run listed at step 139", Duration.ofSeconds(60), () -> {
            listed.clear();
            for (JsonNode e : api.get("/api/runs?limit=1000").json().get("runs")) listed.put(e.get("id").asText(), e);
            return runs.stream().allMatch(r -> listed.containsKey(r.id) && listed.get(r.id).get("step").asLong() == 139
                    && listed.get(r.id).get("disk_bytes").asLong() > 0);
        });
        for (Ingest r : runs) {
            JsonNode e = listed.get(r.id);
            assertEquals("running", e.get("status").asText());
            assertEquals(1.0 / 140, e.get("loss").asDouble(), 0.0);
            assertEquals(0.139, e.get("val_acc").asDouble(), 0.0);
            assertEquals(0.139, e.get("best_val_acc").asDouble(), 0.0);
            assertEquals(139, e.get("best_val_acc_step").asLong());
            assertTrue(e.get("seq").asLong() >= 140, e.toString());
        }

        List<String> open = OpenFiles.list(fixture.runs);
        List<String> ofRuns = open.stream().filter(f -> runs.stream().anyMatch(r -> f.startsWith(r.id + "/"))).toList();
        assertTrue(ofRuns.size() <= 4 * RUNS, RUNS + " active remote runs of " + TAGS + " tags hold " + ofRuns.size()
                + " descriptors in their directories (at most " + 4 * RUNS + ": 4 each): " + ofRuns);
        assertTrue(open.size() - before <= 4 * RUNS + 4, "and little else under runs/: " + open);
    }
}
