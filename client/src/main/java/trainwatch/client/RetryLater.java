package trainwatch.client;

import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * A 5xx or 429 answer: send again later, and not before the server's Retry-After (seconds; 0 when it
 * sent none). The server asks for it when it is out of file descriptors (503).
 */
final class RetryLater extends IOException {
    /** The least wait the server asked for, in ms. */
    final long ms;

    private RetryLater(int status, long ms) {
        super("server answered " + status + (ms > 0 ? " (retry after " + ms / 1000 + " s)" : ""));
        this.ms = ms;
    }

    static RetryLater of(HttpResponse<?> r) {
        return new RetryLater(r.statusCode(), seconds(r.headers().firstValue("Retry-After").orElse(null)) * 1000L);
    }

    /** Retry-After in its delta-seconds form, capped at 10 minutes; an HTTP date or garbage counts as none. */
    static long seconds(String header) {
        if (header == null) return 0;
        try {
            return Math.min(600, Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
