package trainwatch.http;

import java.util.List;

import trainwatch.run.Problem;

/** A refusal decided by the HTTP layer itself (CSRF, bad parameters): mapped like every other error. */
final class ApiError extends RuntimeException {
    final int status;
    final List<Problem> problems;

    ApiError(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.problems = List.of(new Problem(field, message));
    }
}
