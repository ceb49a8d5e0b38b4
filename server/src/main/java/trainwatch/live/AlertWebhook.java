package trainwatch.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.Alert;
import trainwatch.run.EventJson;
import trainwatch.run.Json;

/** POSTs every new alert as JSON to a URL (--webhook), asynchronously; a failure is logged, never fatal. */
public final class AlertWebhook implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AlertWebhook(URI url) {
        this.url = url;
    }

    @Override
    public void alert(String runId, Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "alert");
        m.put("run", runId);
        EventJson.alert(m, a);
        HttpRequest req = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(m)))
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
            if (err != null) LOG.warn("webhook {}: alert of run {} not delivered: {}", url, runId, err.toString());
            else if (res.statusCode() >= 300) LOG.warn("webhook {}: alert of run {} answered {}", url, runId, res.statusCode());
        });
    }
}
