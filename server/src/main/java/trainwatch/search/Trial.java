package trainwatch.search;

/**
 * A finished trial as the search sees it. A trial that failed, diverged or reported a
 * non-finite metric is {@link Status#FAILED}: it still counts, as the worst possible
 * value, because "this region blows up" is information. A pruned trial keeps the last
 * metric it reported and how many epochs it got.
 */
public record Trial(Assignment assignment, Status status, double value, int epochs) {
    public enum Status { COMPLETE, PRUNED, FAILED }

    public Trial {
        if (assignment == null || status == null) throw new IllegalArgumentException("a trial needs its assignment and status");
        if (status != Status.FAILED && !Double.isFinite(value)) status = Status.FAILED;
        if (status == Status.FAILED) value = Double.NaN;
    }

    public static Trial complete(Assignment a, double value) {
        return new Trial(a, Status.COMPLETE, value, 0);
    }

    public static Trial pruned(Assignment a, double lastValue, int epochs) {
        return new Trial(a, Status.PRUNED, lastValue, epochs);
    }

    public static Trial failed(Assignment a) {
        return new Trial(a, Status.FAILED, Double.NaN, 0);
    }

    public boolean complete() {
        return status == Status.COMPLETE;
    }
}
