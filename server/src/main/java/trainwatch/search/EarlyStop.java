package trainwatch.search;

/**
 * Watches trials' metric reports and decides whether each may go on. Implementations
 * decide from the reports seen so far, in arrival order; after a restart, replaying the
 * stored reports in their original order rebuilds the same state.
 */
public interface EarlyStop {
    /** A trial's metric after {@code epoch} epochs (1-based). */
    Decision report(String trial, int epoch, double value);

    /** Every trial runs to the end. */
    static EarlyStop none() {
        return (trial, epoch, value) -> Decision.CONTINUE;
    }
}
