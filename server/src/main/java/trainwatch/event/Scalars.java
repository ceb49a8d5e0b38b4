package trainwatch.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * Values of several tags at one step. Parallel arrays (no boxing on the hot
 * path); values may be NaN or infinite and are kept as they are.
 */
public record Scalars(long seq, long step, long wallMs, String[] tags, double[] values) implements RunEvent {
    public Scalars {
        if (seq < 0) throw new IllegalArgumentException("seq must be >= 0, got " + seq);
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(values, "values");
        if (tags.length != values.length)
            throw new IllegalArgumentException(tags.length + " tags but " + values.length + " values");
        for (String t : tags) Tags.check(t);
    }

    /** The value of {@code tag}, or null when this record has none. */
    public Double value(String tag) {
        for (int i = 0; i < tags.length; i++) if (tags[i].equals(tag)) return values[i];
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scalars s && s.seq == seq && s.step == step && s.wallMs == wallMs
                && Arrays.equals(s.tags, tags) && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Long.hashCode(step);
    }

    @Override
    public String toString() {
        return "Scalars[seq=" + seq + ", step=" + step + ", " + Arrays.toString(tags) + "=" + Arrays.toString(values) + "]";
    }
}
