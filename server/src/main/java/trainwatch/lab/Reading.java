package trainwatch.lab;

import trainwatch.event.CheckOutcome;

/**
 * How to read a relative error between analytic and numerical gradients
 * (CS231n's gradient-check notes, docs/lab.md): above 1e-2 the gradient is
 * probably wrong; 1e-2..1e-4 uncomfortable; below 1e-4 fine when the
 * objective has kinks (ReLU, max) but too high without them; 1e-7 and below good.
 */
public enum Reading {
    GOOD("good", CheckOutcome.PASS),
    FINE_WITH_KINKS("fine for an objective with kinks", CheckOutcome.PASS),
    TOO_HIGH_WITHOUT_KINKS("too high for an objective without kinks", CheckOutcome.WARN),
    UNCOMFORTABLE("uncomfortable", CheckOutcome.WARN),
    PROBABLY_WRONG("probably wrong", CheckOutcome.FAIL),
    NO_DATA("nothing usable was checked", CheckOutcome.WARN);

    public final String text;
    /** The check outcome this reading leads to. */
    public final CheckOutcome outcome;

    Reading(String text, CheckOutcome outcome) {
        this.text = text;
        this.outcome = outcome;
    }

    public static Reading of(double relError, boolean objectiveHasKinks) {
        if (Double.isNaN(relError)) return NO_DATA;
        if (relError > 1e-2) return PROBABLY_WRONG;
        if (relError > 1e-4) return UNCOMFORTABLE;
        if (relError > 1e-7) return objectiveHasKinks ? FINE_WITH_KINKS : TOO_HIGH_WITHOUT_KINKS;
        return GOOD;
    }
}
