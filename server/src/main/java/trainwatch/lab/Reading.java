package trainwatch.lab;

/**
 * How to read a relative error between analytic and numerical gradients
 * (BABYSITTING.md section 1, after CS231n): above 1e-2 the gradient is
 * probably wrong; 1e-2..1e-4 uncomfortable; below 1e-4 fine when the
 * objective has kinks (ReLU, max) but too high without them; 1e-7 and below good.
 */
public enum Reading {
    GOOD("good", "pass"),
    FINE_WITH_KINKS("fine for an objective with kinks", "pass"),
    TOO_HIGH_WITHOUT_KINKS("too high for an objective without kinks", "warn"),
    UNCOMFORTABLE("uncomfortable", "warn"),
    PROBABLY_WRONG("probably wrong", "fail"),
    NO_DATA("nothing usable was checked", "warn");

    public final String text;
    /** The check outcome this reading leads to: pass, warn or fail. */
    public final String outcome;

    Reading(String text, String outcome) {
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

    /** The worse of two outcomes (fail > warn > pass). */
    public static String worse(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(String outcome) {
        return switch (outcome) {
            case "fail" -> 2;
            case "warn" -> 1;
            default -> 0;
        };
    }
}
