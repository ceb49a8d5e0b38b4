package trainwatch.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import trainwatch.json.Json;

/**
 * Where `check NAME ...` puts what it finds: runs/&lt;id&gt;/checks/NAME.json for a local run, or the server's
 * POST /api/ingest/runs/{id}/checks/{name} for `check --remote` (a check running as a Kubernetes Job, with
 * the key from its Secret). Both get the same outcome, summary and details.
 */
interface CheckReporter {
    /** Throws IOException when the report could not be stored (remote: not even after retrying). */
    void report(String outcome, String summary, Map<String, Object> details) throws IOException;

    /** The remote form: retried for up to {@code patienceMs} while the server is unreachable or answers 5xx (a restart). */
    static CheckReporter remote(String url, String id, String check, String key, long patienceMs) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(url + "/api/ingest/runs/" + id + "/checks/" + check);
        return (outcome, summary, details) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("outcome", outcome);
            body.put("summary", summary);
            body.put("details", details);
            String json = Json.write(body);
            long deadline = System.currentTimeMillis() + patienceMs;
            String last = null;
            for (long wait = 500; ; wait = Math.min(10_000, wait * 2)) {
                HttpResponse<String> r = null;
                try {
                    r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    last = TrainCommand.oneLine(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (r != null) {
                    // 409: stored already (a retry after a lost reply); any other 4xx will not change by retrying
                    if (r.statusCode() / 100 == 2 || r.statusCode() == 409) return;
                    last = "HTTP " + r.statusCode() + " " + r.body();
                    if (r.statusCode() < 500) throw new IOException(uri + " refused the report: " + last);
                }
                if (System.currentTimeMillis() + wait > deadline) throw new IOException("cannot reach " + uri + ": " + last);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        };
    }
}
