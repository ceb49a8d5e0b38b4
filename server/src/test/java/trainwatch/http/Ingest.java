package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** A test's remote trainer speaking the ingest API by hand (the real clients have their own tests). */
final class Ingest {
    final Api api;
    final String id;
    final String key;

    private Ingest(Api api, String id, String key) {
        this.api = api;
        this.id = id;
        this.key = key;
    }

    static Ingest create(Api api, String body) {
        Api.Res r = api.post("/api/ingest/runs", body);
        assertEquals(201, r.status(), r.body());
        JsonNode j = r.json();
        return new Ingest(api, j.get("id").asText(), j.get("key").asText());
    }

    /** A run created earlier (e.g. before a server restart), with its key. */
    static Ingest attach(Api api, String id, String key) {
        return new Ingest(api, id, key);
    }

    Api.Res send(long first, String recordsJson) {
        return sendAs(key, first, recordsJson);
    }

    Api.Res sendAs(String bearer, long first, String recordsJson) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\": " + first + ", \"records\": [" + recordsJson + "]}"));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return api.send(b);
    }

    /** Scalars rows for steps [from, to), loss = 1/(step+1), acc = step/1000. */
    static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int s = from; s < to; s++) {
            if (sb.length() > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, "{\"type\":\"scalars\",\"step\":%d,\"t\":%d,\"values\":{\"loss\":%s,\"acc\":%s}}",
                    s, 1_764_000_000_000L + s, Double.toString(loss(s)), Double.toString(s / 1000.0)));
        }
        return sb.toString();
    }

    static double loss(long step) {
        return 1.0 / (step + 1);
    }

    long next(Api.Res r) {
        assertEquals(200, r.status(), r.body());
        return r.json().get("next").asLong();
    }
}
