package trainwatch.checkpoint;

/** A refused checkpoint upload or download: the HTTP status, the field it concerns and text safe to show the caller. */
public final class CheckpointException extends RuntimeException {
    private final int status;
    private final String field;

    public CheckpointException(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
