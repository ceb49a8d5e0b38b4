package trainwatch.search;

/** The few normal-distribution functions TPE needs (the JDK has no erf). */
final class Normal {
    static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    private Normal() {}

    /**
     * Complementary error function, Chebyshev fit with fractional error below 1.2e-7
     * everywhere (Numerical Recipes' erfcc). TPE only divides by truncation masses of at
     * least ~0.34 (a kernel's centre lies in the range and its width is at most the
     * range), so this is far more precision than the ratio l/g can use.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** Standard normal cumulative distribution. */
    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }
}
