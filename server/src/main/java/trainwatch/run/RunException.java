package trainwatch.run;

import java.util.List;

/**
 * A typed failure of the runs service that the HTTP layer maps to a status code in
 * one place: {@link Kind#NOT_FOUND} 404, {@link Kind#INVALID} 400, {@link Kind#CONFLICT} 409,
 * {@link Kind#INSUFFICIENT_STORAGE} 507 (the disk under runs/ is too full to start or resume a run).
 */
public final class RunException extends RuntimeException {
    public enum Kind { NOT_FOUND, INVALID, CONFLICT, INSUFFICIENT_STORAGE }

    private final Kind kind;
    private final List<Problem> problems;

    private RunException(Kind kind, List<Problem> problems) {
        super(problems.isEmpty() ? kind.name() : problems.get(0).line(), null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public static RunException notFound(String message) {
        return new RunException(Kind.NOT_FOUND, List.of(new Problem("", message)));
    }

    public static RunException invalid(String field, String message) {
        return new RunException(Kind.INVALID, List.of(new Problem(field, message)));
    }

    public static RunException invalid(List<Problem> problems) {
        return new RunException(Kind.INVALID, problems);
    }

    public static RunException conflict(String message) {
        return new RunException(Kind.CONFLICT, List.of(new Problem("", message)));
    }

    public static RunException insufficientStorage(String message) {
        return new RunException(Kind.INSUFFICIENT_STORAGE, List.of(new Problem("", message)));
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem> problems() {
        return problems;
    }
}
