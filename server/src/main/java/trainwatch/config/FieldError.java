package trainwatch.config;

/** One invalid value: {@code field} is a dotted path ("optimizer.lr"), {@code message} e.g. "must be > 0 (got -1.0)". */
public record FieldError(String field, String message) {
    /** "optimizer.lr must be > 0 (got -1.0)": the one-line form the CLI prints and the API puts in "error". */
    public String line() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
