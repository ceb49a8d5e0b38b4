package trainwatch.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import trainwatch.event.Alert;
import trainwatch.json.AlertView;
import trainwatch.json.Json;

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
        HttpRequest req = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(new Message("alert", runId, AlertView.of(a)))))
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
            if (err != null) LOG.warn("webhook {}: alert of run {} not delivered: {}", url, runId, err.toString());
            else if (res.statusCode() >= 300) LOG.warn("webhook {}: alert of run {} answered {}", url, runId, res.statusCode());
        });
    }

    /** The webhook's body: the live alert message plus the run it belongs to. */
    public record Message(String type, String run, @JsonUnwrapped AlertView alert) {}
}
