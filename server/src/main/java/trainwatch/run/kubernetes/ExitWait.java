package trainwatch.run.kubernetes;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Job's {@code Failed} condition and its pod's exit (code, reason, message) come through two informers with no
 * order between them, and a final status, once recorded, is never amended. So a failed Job whose pod's exit is not
 * in view yet ({@link Verdict#exitUnseen()}) holds its verdict back: the pod's update reconciles again when it lands,
 * and after {@link #MS} the verdict is recorded as it stands (the pod may be gone for good). One per Job start;
 * used on its executor's single worker thread only.
 */
final class ExitWait {
    static final long MS = 15_000;
    private boolean started;
    private boolean over;

    /** True while the verdict should wait; the first call schedules {@code recheck} on {@code worker} for when the wait is over. */
    boolean holdBack(ScheduledExecutorService worker, Runnable recheck) {
        if (!started) {
            started = true;
            worker.schedule(() -> {
                over = true;
                recheck.run();
            }, MS, TimeUnit.MILLISECONDS);
        }
        return !over;
    }
}
