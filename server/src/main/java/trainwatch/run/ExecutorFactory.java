package trainwatch.run;

import java.time.Clock;

import trainwatch.store.RunStore;

/**
 * Builds the executor `serve --executor` names. The local {@link Supervisor} always exists: it is the
 * {@code local} executor, and the checks (and ensembles) of the other executors run through it on this machine.
 */
@FunctionalInterface
public interface ExecutorFactory {
    Executor create(RunStore store, Supervisor local, Clock clock);
}
