package trainwatch.client;

/**
 * Thrown from inside DL4J's fit by {@link TrainwatchListener} when someone stopped the run on the
 * dashboard: it ends fit (the run is recorded as stopped first). Catch it around {@code fit} to save a model.
 */
public class TrainwatchStopException extends RuntimeException {
    public TrainwatchStopException(String runId) {
        super("run " + runId + " was stopped on the trainwatch dashboard", null, false, false);
    }
}
