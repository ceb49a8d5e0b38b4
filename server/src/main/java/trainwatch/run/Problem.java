package trainwatch.run;

/** One thing wrong with a request: {@code field} is a dotted path or a parameter name, may be empty. */
public record Problem(String field, String message) {
    public Problem {
        field = field == null ? "" : field;
        message = message == null ? "" : message;
    }

    /** The one-line form used as the error's headline (same as the CLI's FieldError.line()). */
    public String line() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
