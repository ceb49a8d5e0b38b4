package trainwatch.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Ctrl-C / SIGTERM handling for `train`: a JVM shutdown hook raises the stop
 * flag the trainer polls, waits until the command has written status
 * `stopped` and closed the store, then ends the process with exit code 130
 * (halt, because the JVM would otherwise exit 143 on SIGTERM).
 */
final class StopSignal {
    static final int EXIT_STOPPED = 130;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread hook;

    boolean requested() {
        return requested.get();
    }

    void request() {
        requested.set(true);
    }

    /** Marks the command's work (status written, store closed) as done: the hook may end the process. */
    void finished() {
        finished.countDown();
    }

    /** What the hook does, separated from the JVM for tests. */
    void onSignal(Duration maxWait, IntConsumer halt) {
        request();
        try {
            finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        System.err.flush();
        halt.accept(EXIT_STOPPED);
    }

    void install(Duration maxWait) {
        hook = new Thread(() -> onSignal(maxWait, code -> Runtime.getRuntime().halt(code)), "train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the hook after a normal end (so System.exit does not run it); a no-op once shutdown has begun. */
    void uninstall() {
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and will end the process with 130
        }
        hook = null;
    }
}
