package trainwatch.event;

/**
 * What flows trainer -> store -> live hub -> browser. Every event carries the
 * run's record number {@code seq} (assigned by the single writer, shared by all
 * record types, survives restarts) and its wall-clock time in ms.
 */
public sealed interface RunEvent permits Scalars, FilterSnapshot, StatusChange, Alert, CheckResult {
    long seq();

    long wallMs();
}
