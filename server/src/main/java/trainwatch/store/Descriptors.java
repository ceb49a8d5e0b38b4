package trainwatch.store;

/**
 * The process ran out of file descriptors (EMFILE, or ENFILE for the whole system): a moment's
 * condition, not a fault of the request or of the run's files. The server answers 503 with
 * Retry-After (docs/api.md "Errors") instead of 500, and clients send the request again.
 */
public final class Descriptors {
    /** Seconds a client is asked to wait before it sends again. */
    public static final int RETRY_AFTER_S = 2;

    private Descriptors() {}

    /** True when {@code t} or one of its causes is "Too many open files" (the JDK has no typed exception for it). */
    public static boolean exhausted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains("Too many open files")) return true; // "in system" too (ENFILE)
        }
        return false;
    }
}
