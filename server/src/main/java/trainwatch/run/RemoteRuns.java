package trainwatch.run;

/**
 * Runs whose writer is this server itself (trained elsewhere, sent over the ingest API): the
 * supervisor neither adopts nor settles them (their trainer is not a process here) and hands a
 * stop request to their owner, which delivers it to the remote trainer.
 */
public interface RemoteRuns {
    RemoteRuns NONE = new RemoteRuns() {
        @Override
        public boolean owns(String id) {
            return false;
        }

        @Override
        public void stop(String id) {
            throw RunException.conflict("run " + id + " is not a remote run");
        }
    };

    boolean owns(String id);

    /** Asks the remote trainer to stop; throws RunException (409) when the run is not running. */
    void stop(String id);

    /** A stop that ends the run with another final status (a sweep prunes a trial); as null = a plain stop. */
    default void stop(String id, trainwatch.store.StopRequest as) {
        stop(id);
    }
}
