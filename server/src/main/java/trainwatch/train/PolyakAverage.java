package trainwatch.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential running average of a model's flat parameter vector (Polyak
 * averaging, config key {@code averaging: {"decay": d}}): after each update
 * {@code acc = d * acc + (1 - d) * w}, starting from zero, and the average is
 * {@code acc / (1 - d^t)} after t updates. The bias correction (as in Adam)
 * makes it a proper weighted mean of the weights seen so far, so a short run
 * is not pulled toward zero; with d = 0 it is exactly the live weights.
 */
public final class PolyakAverage {
    private final double decay;
    private INDArray acc;
    private double decayPower = 1;   // d^t
    private long count;

    public PolyakAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        this.decay = decay;
    }

    /** Folds in the weights after one more update ({@code params} is read, never kept). */
    public void update(INDArray params) {
        if (acc == null) acc = params.dup('c').muli(0);
        acc.muli(decay).addi(params.mul(1 - decay));
        decayPower *= decay;
        count++;
    }

    /** The averaged parameters (a new array), or null before the first update. */
    public INDArray value() {
        return acc == null ? null : acc.div(1 - decayPower);
    }

    public long count() {
        return count;
    }

    public double decay() {
        return decay;
    }

    /** Restores the state after {@code count} updates whose average was {@code average} (a resumed run). */
    public void restore(INDArray average, long count) {
        if (count <= 0) return;
        this.count = count;
        this.decayPower = Math.pow(decay, count);
        this.acc = average.dup('c').muli(1 - decayPower);
    }
}
