package trainwatch.live;

import trainwatch.event.Alert;

/** Gets every alert the hub sees appended to a run's log while it watches it (e.g. the webhook). */
public interface AlertSink {
    void alert(String runId, Alert alert);

    AlertSink NONE = (runId, alert) -> {};
}
