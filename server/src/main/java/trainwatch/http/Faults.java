package trainwatch.http;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server faults (anything that is not a caller's mistake): logged with a short id and the stack
 * trace, counted, and answered 500 {"error": "internal error", "id"} so the caller can quote the id
 * and nothing internal (class names, paths) leaks.
 */
final class Faults {
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private Faults() {}

    /** Logs and counts the fault; returns the id to answer with. */
    static String record(HttpApp.ResponseCounts stats, String what, Throwable cause) {
        String id = String.format("%08x", ThreadLocalRandom.current().nextInt());
        stats.internalError();
        LOG.error("internal error {}: {}", id, what, cause);
        return id;
    }
}
