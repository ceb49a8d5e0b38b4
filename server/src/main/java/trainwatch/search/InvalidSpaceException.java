package trainwatch.search;

/**
 * A search space or search setting the caller got wrong. Carries the parameter path (or
 * setting name) so a spec parser can answer `{"field": ..., "message": ...}` without
 * parsing the message; the message itself reads "optimizer.lr: log_uniform min must be > 0, got 0.0".
 */
public final class InvalidSpaceException extends RuntimeException {
    private final String field;
    private final String problem;

    public InvalidSpaceException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    /** The message without the leading field name. */
    public String problem() {
        return problem;
    }
}
