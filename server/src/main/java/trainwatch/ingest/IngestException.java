package trainwatch.ingest;

import java.util.List;

import trainwatch.run.Problem;

/**
 * A refused ingest request, with the HTTP status it is answered with and text safe to show the caller.
 * {@code expected} is set only on a seq gap (409): the seq the server expects next.
 */
public final class IngestException extends RuntimeException {
    private final int status;
    private final List<Problem> problems;
    private final Long expected;

    private IngestException(int status, List<Problem> problems, Long expected) {
        super(problems.isEmpty() ? "HTTP " + status : problems.get(0).line(), null, false, false);
        this.status = status;
        this.problems = List.copyOf(problems);
        this.expected = expected;
    }

    static IngestException of(int status, String field, String message) {
        return new IngestException(status, List.of(new Problem(field, message)), null);
    }

    /** For the HTTP layer's own refusals about the request as a whole (encoding, size). */
    public static IngestException http(int status, String field, String message) {
        return of(status, field, message);
    }

    static IngestException invalid(List<Problem> problems) {
        return new IngestException(400, problems, null);
    }

    static IngestException tooLarge(String field, String message) {
        return of(413, field, message);
    }

    static IngestException gap(long first, long expected) {
        return new IngestException(409, List.of(new Problem("seq", "is " + first + " but the server expects " + expected
                + " (a batch was lost: send again from seq " + expected + ")")), expected);
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The next seq the server expects (on a gap), else null. */
    public Long expected() {
        return expected;
    }
}
