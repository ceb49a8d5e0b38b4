package trainwatch.sweep;

/**
 * What {@link SweepService#onChange} listeners are told: sweep {@code sweep} changed; {@code trial} is the
 * trial that changed (null when only the sweep's state did) and {@code summary} the sweep as it is now.
 * The live route sends them as {"type": "trial", "trial": ...} and {"type": "summary", "sweep": ...}; a deleted
 * sweep has neither (the sweep list's socket sends {"type": "deleted", "id": ...}).
 */
public record SweepChange(String sweep, TrialView trial, SweepView summary) {

    /** The sweep was deleted: no trial, no summary. */
    public static SweepChange deleted(String sweep) {
        return new SweepChange(sweep, null, null);
    }

    public boolean isDeleted() {
        return trial == null && summary == null;
    }
}
