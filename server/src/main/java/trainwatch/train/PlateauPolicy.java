package trainwatch.train;

/**
 * Reduce-on-plateau: after {@code patience} evaluations in a row without a new
 * best val_loss, multiply the rate by {@code factor} (never below minLr) and
 * start counting again. NaN is never an improvement.
 */
final class PlateauPolicy {
    private final double factor;
    private final int patience;
    private final double minLr;
    private double lr;
    private double best = Double.POSITIVE_INFINITY;
    private int sinceBest;

    PlateauPolicy(double lr0, double factor, int patience, double minLr) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("schedule.factor must be in (0, 1) for plateau (got " + factor + ")");
        if (patience < 1) throw new IllegalArgumentException("schedule.patience must be >= 1 (got " + patience + ")");
        this.lr = lr0;
        this.factor = factor;
        this.patience = patience;
        this.minLr = minLr;
    }

    /** Feeds one evaluation's val_loss; returns the rate to use from now on. */
    double onEvaluation(double valLoss) {
        if (valLoss < best) {
            best = valLoss;
            sinceBest = 0;
            return lr;
        }
        sinceBest++;
        if (sinceBest >= patience) {
            lr = Math.max(lr * factor, minLr);
            sinceBest = 0;
        }
        return lr;
    }

    /** {lr, best val_loss, evaluations since the best} for a checkpoint. */
    double[] state() {
        return new double[] {lr, best, sinceBest};
    }

    /** Back to a checkpoint's state (a best of NaN means none yet). */
    void restore(double lr, double best, int sinceBest) {
        if (Double.isFinite(lr)) this.lr = lr;
        this.best = Double.isNaN(best) ? Double.POSITIVE_INFINITY : best;
        this.sinceBest = sinceBest;
    }

    double lr() {
        return lr;
    }
}
