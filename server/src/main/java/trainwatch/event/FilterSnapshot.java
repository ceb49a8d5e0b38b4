package trainwatch.event;

/**
 * The first layer's weights at a step: conv filters as [nOut][nIn][kH][kW]
 * (an mlp on images: [hidden][1][28][28], already transposed). {@code data}
 * may be null when only the notice travels (the log stores the notice; the
 * floats live in their own file so old snapshots can be thinned).
 */
public record FilterSnapshot(long seq, long step, long wallMs, int[] shape, float[] data) implements RunEvent {
    public FilterSnapshot {
        if (shape == null || shape.length != 4) throw new IllegalArgumentException("shape must have 4 dims");
        long n = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("shape dims must be > 0");
            n *= d;
        }
        if (data != null && data.length != n)
            throw new IllegalArgumentException("data has " + data.length + " floats, shape needs " + n);
    }
}
