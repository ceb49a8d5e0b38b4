package trainwatch.train;

/**
 * The "loss is exploding" rule, defined once for the alert and for the
 * trainer's divergence stop: the bias-corrected EMA of the loss is above
 * {@code factor} times the first loss. Non-finite losses are not fed: the
 * trainer ends a run on the first one by itself.
 */
public final class LossExplosion {
    public static final double BETA = 0.9;
    public static final double FACTOR = 3.0;

    private final Ema ema;
    private final double factor;
    private double initial = Double.NaN;
    private double smoothed = Double.NaN;

    public LossExplosion(double beta, double factor) {
        this.ema = new Ema(beta);
        this.factor = factor;
    }

    /** Feeds one finite loss and returns the smoothed loss. */
    public double add(double loss) {
        if (Double.isNaN(initial)) initial = loss;
        smoothed = ema.add(loss);
        return smoothed;
    }

    public double initial() {
        return initial;
    }

    public double smoothed() {
        return smoothed;
    }

    public double limit() {
        return factor * initial;
    }

    public double factor() {
        return factor;
    }

    public boolean exploded() {
        return initial > 0 && smoothed > limit();
    }
}
