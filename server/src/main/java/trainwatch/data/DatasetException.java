package trainwatch.data;

/** A dataset that cannot be loaded (missing, truncated or malformed file); the message says which file and what to do. */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
