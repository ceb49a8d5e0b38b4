package trainwatch.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few REST calls browser tests make to set the stage (creating and stopping runs). */
final class Api {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([a-z0-9-]+)\"");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(60)).build();
    private final String base;

    Api(String base) {
        this.base = base;
    }

    String createRun(String configJson) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(configJson)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) throw new IllegalStateException("POST /api/runs -> " + res.statusCode() + " " + res.body());
        Matcher m = ID.matcher(res.body());
        if (!m.find()) throw new IllegalStateException("no id in " + res.body());
        return m.group(1);
    }

    /** Best effort: keeps the shared machine free once a test has seen what it needed. */
    void stopQuietly(String id) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "api/runs/" + id + "/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception ignored) {
            // the run may have finished already
        }
    }

    String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
