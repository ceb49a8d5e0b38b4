package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.auth.Role;
import trainwatch.auth.TokenStore;

/**
 * Sign-in on (a token exists): a remote run's ingest key reads that run's config over
 * GET /api/ingest/runs/{id}/config (what `train --remote URL --run ID` trains) and nothing else:
 * not another run's config, not the run itself over /api/runs, not the run list.
 */
class IngestConfigAccessTest {
    @Test
    void a_run_key_reads_its_own_runs_config_and_nothing_else(@TempDir Path runs) throws Exception {
        String editor = new TokenStore(runs, Clock.systemUTC()).create("config-editor", Role.EDITOR, "test").secret();
        try (TrainwatchServer server = new TrainwatchServer(ServerFixture.options(runs).withLauncher(HardeningTest.NO_TRAINER)).start()) {
            RawHttp.Res a = call(server, editor, "POST", "/api/ingest/runs", "{\"name\": \"pod-a\", \"config\": {\"dataset\": \"spiral\", \"epochs\": 2}}");
            RawHttp.Res b = call(server, editor, "POST", "/api/ingest/runs", "{\"name\": \"pod-b\"}");
            assertEquals(201, a.status(), a.body());
            assertEquals(201, b.status(), b.body());
            String idA = a.json().get("id").asText(), keyA = a.json().get("key").asText(), idB = b.json().get("id").asText();

            RawHttp.Res own = call(server, keyA, "GET", "/api/ingest/runs/" + idA + "/config", null);
            assertEquals(200, own.status(), own.body());
            JsonNode config = own.json().get("config");
            assertEquals("pod-a", config.get("name").asText());
            assertEquals("spiral", config.get("dataset").asText());
            assertEquals(2, config.get("epochs").asInt());

            assertEquals(403, call(server, keyA, "GET", "/api/ingest/runs/" + idB + "/config", null).status(), "another run's config");
            assertEquals(401, call(server, keyA, "GET", "/api/runs/" + idA, null).status(), "the run itself over /api/runs");
            assertEquals(401, call(server, keyA, "GET", "/api/runs", null).status(), "the run list");
            assertEquals(401, call(server, null, "GET", "/api/ingest/runs/" + idA + "/config", null).status(), "anonymous");
            assertEquals(200, call(server, editor, "GET", "/api/ingest/runs/" + idB + "/config", null).status(), "a viewer or above reads any");
            assertEquals(0, server.stats.count(500, 600));
        }
    }

    private static RawHttp.Res call(TrainwatchServer server, String bearer, String method, String path, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        if (bearer != null) h.put("Authorization", "Bearer " + bearer);
        return RawHttp.request(server.port(), method, path, "127.0.0.1:" + server.port(), h, body);
    }
}
