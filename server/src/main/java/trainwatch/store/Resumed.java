package trainwatch.store;

/**
 * A resume from a checkpoint: the run continued at step {@code fromStep}, and
 * whatever the earlier session had recorded for steps >= fromStep was
 * superseded (cut from the log). seq is the resume record's own number.
 */
public record Resumed(long seq, long wallMs, long fromStep) {}
