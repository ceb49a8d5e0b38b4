package trainwatch.ingest;

import trainwatch.event.RunStatus;

/** One validated record of an ingest batch. {@code t} is the trainer's wall time in ms, or -1 for "when it arrives". */
sealed interface IngestRecord {
    record ScalarsRow(long step, long t, String[] tags, double[] values) implements IngestRecord {}

    record FiltersRow(long step, long t, int[] shape, float[] data) implements IngestRecord {}

    record AlertRow(long step, long t, String kind, String tag, String message, String advice) implements IngestRecord {}

    record CheckRow(String check, String outcome, String summary, String detailsJson) implements IngestRecord {}

    record StatusRow(RunStatus status, String reason) implements IngestRecord {}
}
