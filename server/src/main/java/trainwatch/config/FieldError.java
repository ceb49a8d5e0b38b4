package trainwatch.config;

/** One invalid value: {@code field} is a dotted path ("optimizer.lr"), {@code message} e.g. "must be > 0 (got -1.0)". */
public record FieldError(String field, String message) {
    /** Message of a key the schema does not know (optionally followed by a hint). */
    public static final String UNKNOWN_KEY = "unknown key";

    /**
     * The one-line form the CLI prints and the API puts in "error":
     * "optimizer.lr must be > 0 (got -1.0)"; unknown keys read
     * "unknown key optimizer.lrr (did you mean lr?)".
     */
    public String line() {
        if (field.isEmpty()) return message;
        if (message.startsWith(UNKNOWN_KEY)) return UNKNOWN_KEY + " " + field + message.substring(UNKNOWN_KEY.length());
        return field + " " + message;
    }
}
