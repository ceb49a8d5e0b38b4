package trainwatch.store;

/** Which extreme of a tag is best: the highest (accuracy) or the lowest (loss). */
public enum Goal {
    MAX,
    MIN;

    /** True when a beats b strictly (so ties keep the earlier point). */
    boolean beats(double a, double b) {
        return this == MAX ? a > b : a < b;
    }

    /** The summary's finite extreme in this direction (NaN when the summary has no finite value). */
    double of(BlockSummary s) {
        return this == MAX ? s.max : s.min;
    }
}
