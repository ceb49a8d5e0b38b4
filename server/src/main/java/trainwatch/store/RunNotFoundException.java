package trainwatch.store;

/** No run with this id exists under the store's root. */
public final class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String id) {
        super("no run with id " + id);
    }
}
