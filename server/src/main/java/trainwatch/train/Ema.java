package trainwatch.train;

/** Exponential moving average with bias correction (so the first values are not pulled toward 0). */
public final class Ema {
    private final double beta;
    private double acc;
    private double correction = 1;
    private long count;

    public Ema(double beta) {
        this.beta = beta;
    }

    public double add(double x) {
        acc = beta * acc + (1 - beta) * x;
        correction *= beta;
        count++;
        return value();
    }

    public double value() {
        return count == 0 ? Double.NaN : acc / (1 - correction);
    }

    public boolean started() {
        return count > 0;
    }
}
