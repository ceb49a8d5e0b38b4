package trainwatch.train;

import java.util.Locale;

/**
 * The run config's optional stopOnDivergence: a run whose loss has exploded
 * (the {@link LossExplosion} rule the alert uses) at N evaluations in a row is
 * ended as diverged, instead of burning the rest of its budget on a loss that
 * sits high. Counting evaluations, not steps, gives the loss time to recover
 * from a spike; any evaluation with the loss back under the limit starts the
 * count again.
 */
final class DivergenceStop {
    private final int evaluations;
    private final LossExplosion explosion = new LossExplosion(LossExplosion.BETA, LossExplosion.FACTOR);
    private int inARow;

    /** @param evaluations N; 0 = off */
    DivergenceStop(int evaluations) {
        this.evaluations = evaluations;
    }

    /** Feeds one step's loss; at an evaluation step, returns the reason to stop, else null. */
    String onStep(double loss, boolean evaluation) {
        if (evaluations <= 0) return null;
        if (Double.isFinite(loss)) explosion.add(loss);
        if (!evaluation) return null;
        inARow = explosion.exploded() ? inARow + 1 : 0;
        if (inARow < evaluations) return null;
        return String.format(Locale.ROOT, "loss exploded at %d evaluations in a row (smoothed loss %.4g > %.3gx its initial %.4g): stopped by stopOnDivergence",
                inARow, explosion.smoothed(), explosion.factor(), explosion.initial());
    }
}
