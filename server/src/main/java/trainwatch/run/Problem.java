package trainwatch.run;

/**
 * One thing wrong with a request: {@code field} is a dotted path or a parameter name, may be empty.
 * {@code headline} is the one-line form when its producer has its own (the config parser's
 * FieldError.line(), which the CLI prints); null means "field message".
 */
public record Problem(String field, String message, String headline) {
    public Problem {
        field = field == null ? "" : field;
        message = message == null ? "" : message;
    }

    public Problem(String field, String message) {
        this(field, message, null);
    }

    /** The one-line form used as the error's headline ("error" in the API's JSON). */
    public String line() {
        if (headline != null) return headline;
        return field.isEmpty() ? message : field + " " + message;
    }
}
