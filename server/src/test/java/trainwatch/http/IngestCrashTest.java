package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.testkit.ServerProcess;

/**
 * Exactly once across server crashes: a client streams batches (retrying whatever got no reply,
 * resending from the seq a 409 names) while the server process is killed with SIGKILL at random
 * instants, some of them between storing a batch and replying, and restarted. The run ends with
 * every step stored once, in order.
 */
class IngestCrashTest {
    static final int STEPS = 6_000;
    static final int BATCH = 40;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void a_server_killed_9_while_a_client_sends_stores_every_step_exactly_once() throws Exception {
        try (ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-ingest-crash").resolve("runs")).start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.port();
            JsonNode created = Json.tree(post(http, base + "/api/ingest/runs", null, "{\"name\": \"crash\"}").body());
            String id = created.get("id").asText(), key = created.get("key").asText();

            AtomicLong next = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            StringBuilder clientFailure = new StringBuilder();
            Thread client = new Thread(() -> {
                try {
                    while (next.get() < STEPS + 1) {
                        long first = next.get();
                        String records = first >= STEPS ? "{\"type\":\"status\",\"status\":\"finished\"}"
                                : Ingest.rows((int) first, (int) Math.min(STEPS, first + BATCH));
                        HttpResponse<String> r;
                        try {
                            r = post(http, base + "/api/ingest/runs/" + id + "/records", key, "{\"seq\": " + first + ", \"records\": [" + records + "]}");
                        } catch (IOException e) {
                            Thread.sleep(20); // the server is down: the same batch again
                            continue;
                        }
                        JsonNode j = Json.tree(r.body());
                        if (r.statusCode() == 200) next.set(j.get("next").asLong());
                        else if (r.statusCode() == 409) {
                            conflicts.incrementAndGet();
                            next.set(j.get("expected").asLong());
                        } else throw new AssertionError(r.statusCode() + " " + r.body());
                    }
                } catch (Throwable t) {
                    synchronized (clientFailure) {
                        clientFailure.append(t);
                    }
                } finally {
                    done.set(true);
                }
            }, "ingest-client");
            client.start();

            int kills = 0;
            while (!done.get() && kills < 5) {
                long at = next.get() + 300 + ThreadLocalRandom.current().nextInt(600);
                Api.await("the client got past seq " + at, Duration.ofSeconds(120), () -> done.get() || next.get() >= at);
                if (done.get()) break;
                Thread.sleep(ThreadLocalRandom.current().nextInt(30)); // anywhere in a request's life
                server.kill();
                kills++;
                server.start();
            }
            client.join(TimeUnit.MINUTES.toMillis(5));
            assertEquals("", clientFailure.toString());
            assertTrue(kills >= 3, "the server was killed while the client sent (" + kills + " kills)");

            JsonNode run = Json.tree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("finished", run.get("status").asText(), run.toString());
            JsonNode s = Json.tree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/scalars?tag=loss&points=100000")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(STEPS, s.get("total").asInt(), "every step once (" + kills + " kills, " + conflicts.get() + " gaps answered)");
            for (int i = 0; i < STEPS; i++) {
                assertEquals(i, s.get("step").get(i).asLong(), "step " + i);
                assertEquals(Ingest.loss(i), s.get("last").get(i).asDouble(), 0.0, "loss at step " + i);
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 500, "no 5xx: " + r.statusCode() + " " + r.body());
        return r;
    }
}
