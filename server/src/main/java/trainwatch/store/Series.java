package trainwatch.store;

/**
 * One tag over a step range at screen resolution (the scalars route of docs/api.md).
 * total = raw points in [from, to]; when total <= points these are the raw
 * points (min = max = last; nonfinite 1 for a NaN/Inf point); else the span
 * from the first to the last point in range is cut into {@code points}
 * equal-width step buckets [lo + floor(i*span/points), lo + floor((i+1)*span/points)),
 * empty ones left out, step = the step of the bucket's last point, min/max over finite values
 * (NaN when the bucket had none), nonfinite = NaN/Inf count. The newest point
 * in range is always the last entry. seq = last seq the answer reflects.
 */
public record Series(String tag, long seq, long total, long[] step, double[] last, double[] min, double[] max, int[] nonfinite) {}
