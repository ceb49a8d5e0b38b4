package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.client.TrainwatchClient;

/**
 * Offline spooling: the server is down when the client starts, comes up, goes down again in the
 * middle of the run and comes back on the same port; the run ends complete and in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientOutageTest {
    @Test
    void a_run_logged_while_the_server_was_down_arrives_complete_and_in_order(@TempDir Path tmp) throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        TrainwatchServer first = new TrainwatchServer(ServerFixture.options(runs)).start();
        int port = first.port();
        first.close(); // the port is known and nobody answers on it

        TrainwatchClient tw = TrainwatchClient.builder("http://127.0.0.1:" + port, "outage").spoolDir(tmp.resolve("spool"))
                .flushIntervalMs(20).maxBatch(50).start();
        for (int step = 0; step < 300; step++) tw.log(step, Map.of("loss", 1.0 / (step + 1)));
        assertNull(tw.runId(), "no server yet");
        assertTrue(Files.size(tw.spoolFile()) > 0 || tw.pending() == 300);

        TrainwatchServer up = new TrainwatchServer(ServerFixture.options(runs).withPort(port)).start();
        Api api = new Api(port);
        try {
            Api.await("the spooled steps delivered", Duration.ofSeconds(60), () -> tw.pending() == 0);
            String id = tw.runId();
            up.close();
            assertNoFaults(up);
            for (int step = 300; step < 700; step++) tw.log(step, Map.of("loss", 1.0 / (step + 1)));
            assertTrue(tw.pending() >= 400, "kept while the server is down: " + tw.pending());
            up = new TrainwatchServer(ServerFixture.options(runs).withPort(port)).start();
            for (int step = 700; step < 1000; step++) tw.log(step, Map.of("loss", 1.0 / (step + 1)));
            assertTrue(tw.finish("finished"), "delivered after the outage: " + tw.error());
            tw.close();

            assertEquals("finished", api.status(id));
            JsonNode s = api.get("/api/runs/" + id + "/scalars?tag=loss&points=100000").json();
            assertEquals(1000, s.get("total").asInt(), "every step once");
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, s.get("step").get(i).asLong());
                assertEquals(1.0 / (i + 1), s.get("last").get(i).asDouble(), 0.0);
            }
        } finally {
            up.close();
        }
        assertNoFaults(up);
        Api.assertNo5xx();
    }

    private static void assertNoFaults(TrainwatchServer s) {
        assertEquals(0, s.stats.count(500, 600), "the server answered a 5xx");
        ServerFixture.assertNoFaults(s);
    }
}
