package trainwatch.run;

import java.util.List;

/**
 * The one public error of the API: a refusal whose text is safe to show a caller (no class
 * names, no paths), with the HTTP status it is answered with. Anything else thrown while
 * answering a request is a server fault and becomes an honest 500.
 */
public final class RunException extends RuntimeException {
    /** What went wrong, with its HTTP status. */
    public enum Kind {
        INVALID(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), UNSUPPORTED_MEDIA_TYPE(415), TOO_MANY_REQUESTS(429),
        /** the disk under runs/ is too full to start or resume a run */
        INSUFFICIENT_STORAGE(507);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;
    private final List<Problem> problems;

    private RunException(Kind kind, List<Problem> problems) {
        super(problems.isEmpty() ? kind.name() : problems.get(0).line(), null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public static RunException of(Kind kind, String field, String message) {
        return new RunException(kind, List.of(new Problem(field, message)));
    }

    public static RunException notFound(String message) {
        return of(Kind.NOT_FOUND, "", message);
    }

    public static RunException invalid(String field, String message) {
        return of(Kind.INVALID, field, message);
    }

    public static RunException invalid(List<Problem> problems) {
        return new RunException(Kind.INVALID, problems);
    }

    public static RunException conflict(String message) {
        return of(Kind.CONFLICT, "", message);
    }

    public static RunException insufficientStorage(String message) {
        return of(Kind.INSUFFICIENT_STORAGE, "", message);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
