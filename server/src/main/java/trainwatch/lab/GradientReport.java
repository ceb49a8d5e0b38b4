package trainwatch.lab;

import java.util.List;

import trainwatch.event.CheckOutcome;

/** What a gradient check found, per phase (data loss, then with regularization), per h and per layer. */
public record GradientReport(List<Phase> phases, boolean objectiveHasKinks, int examples, CheckOutcome outcome, String summary) {

    /** One compared parameter. kink: x+h and x-h fell on different linear pieces; tiny: both gradients below the noise floor. */
    public record Entry(String layer, String param, long index, double analytic, double numeric, double relError, boolean kink, boolean tiny) {}

    /** Relative errors of one layer at one h, kink and tiny entries left out of max and median. */
    public record LayerErrors(String layer, double h, int checked, int kinks, int tiny, double maxRelError,
                              double medianRelError, Entry worst, Reading reading) {}

    public record ByH(double h, List<LayerErrors> layers) {}

    /** One objective: "data" (data loss alone) or "data+l2" (with regularization, coefficient l2). best = each layer at its best h. */
    public record Phase(String name, double l2, List<ByH> byH, List<LayerErrors> best, List<Entry> kinkEntries) {}
}
