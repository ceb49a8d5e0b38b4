package trainwatch.search;

/** Whether the metric is to be maximised (val_acc) or minimised (val_loss). */
public enum Goal {
    MAX, MIN;

    /** The metric as a loss: smaller is better whatever the goal. */
    public double loss(double value) {
        return this == MAX ? -value : value;
    }

    public boolean better(double a, double b) {
        return loss(a) < loss(b);
    }

    public static Goal parse(String s) {
        return switch (s) {
            case "max" -> MAX;
            case "min" -> MIN;
            default -> throw new InvalidSpaceException("metric.goal", "must be max or min, got " + s);
        };
    }
}
