package trainwatch.json;

import trainwatch.event.Alert;

/** An alert as every wire shape carries it: the REST views, the live {@code alert} message, the webhook. */
public record AlertView(long seq, long step, long t, String kind, String severity, String tag, String message, String advice) {
    public static AlertView of(Alert a) {
        return new AlertView(a.seq(), a.step(), a.wallMs(), a.kind(), a.severity().wire(), a.tag(), a.message(), a.advice());
    }
}
