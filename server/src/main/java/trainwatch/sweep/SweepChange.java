package trainwatch.sweep;

/**
 * What {@link SweepService#onChange} listeners are told: sweep {@code sweep} changed; {@code trial} is the
 * trial that changed (null when only the sweep's state did) and {@code summary} the sweep as it is now.
 * The live route sends them as {"type": "trial", "trial": ...} and {"type": "summary", "sweep": ...}.
 */
public record SweepChange(String sweep, TrialView trial, SweepView summary) {}
