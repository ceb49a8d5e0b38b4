package trainwatch.train;

/** What the command line's progress bar needs, once per iteration (called on the training thread: keep it cheap). */
public interface ProgressObserver {
    void onIteration(long step, long totalSteps, int epoch, double loss, double trainAcc, double examplesPerSec);

    ProgressObserver NONE = (step, total, epoch, loss, acc, eps) -> {};
}
