package trainwatch.store;

/** The run's trainer lock is held: another writer owns it (or it cannot be deleted while running). */
public final class RunBusyException extends RuntimeException {
    public RunBusyException(String message) {
        super(message);
    }
}
