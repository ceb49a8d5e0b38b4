package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/** A JDK HTTP client for the tests that remembers every status it saw, so each suite can prove no request got a 5xx. */
final class Api {
    /** Every response of every test in this JVM: "METHOD path -> status". */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();

    Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Res(int status, String body, String contentType) {
        JsonNode json() {
            JsonNode n = Json.tree(body);
            if (n == null) throw new AssertionError("not JSON (" + status + "): " + body);
            return n;
        }
    }

    Res get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Res post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Res delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json").DELETE());
    }

    Res send(HttpRequest.Builder b) {
        HttpRequest req = b.timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            SEEN.add(req.method() + " " + req.uri().getRawPath() + " -> " + r.statusCode());
            return new Res(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String createRun(String config) {
        Res r = post("/api/runs", config);
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    String status(String id) {
        return get("/api/runs/" + id).json().get("status").asText();
    }

    static void assertNo5xx() {
        List<String> bad = SEEN.stream().filter(s -> s.matches(".* -> 5\\d\\d")).toList();
        assertEquals(List.of(), bad, "requests that got a 5xx");
    }

    /** Waits for a condition, failing with {@code what} after the deadline; never a fixed sleep. */
    static void await(String what, Duration deadline, BooleanSupplier cond) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
