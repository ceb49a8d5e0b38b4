package trainwatch.train;

import java.util.Locale;

import trainwatch.store.RunWriter;

/**
 * CS231n's checks on step 0's numbers: the data loss at init is ~ln(C) (a
 * different value means a broken init, loss or label encoding), and l2
 * really adds to the optimized loss. Outcomes: pass or warn (never fatal).
 */
final class SanityChecks {
    static final double INITIAL_LOSS_TOLERANCE = 0.25;

    private SanityChecks() {}

    static void initialLoss(RunWriter out, int classes, double loss, double regLoss) {
        double expected = Math.log(classes);
        double dataLoss = loss - regLoss;
        double diff = Math.abs(dataLoss - expected);
        boolean ok = diff <= INITIAL_LOSS_TOLERANCE;
        String summary = String.format(Locale.ROOT, "initial data loss %.4f vs ln(%d) = %.4f (%s 0.25)",
                dataLoss, classes, expected, ok ? "within" : "not within");
        out.check("initial_loss", ok ? "pass" : "warn", summary,
                "{\"loss\": " + num(dataLoss) + ", \"expected\": " + num(expected) + ", \"classes\": " + classes
                        + ", \"tolerance\": " + INITIAL_LOSS_TOLERANCE + ", \"loss_with_reg\": " + num(loss) + "}");
    }

    static void regRaisesLoss(RunWriter out, double l2, double loss, double regLoss) {
        double dataLoss = loss - regLoss;
        boolean ok = regLoss > 0 && Double.isFinite(regLoss) && loss > dataLoss;
        String summary = String.format(Locale.ROOT, "l2 %.3g adds %.4g to the initial loss (%.4f -> %.4f)", l2, regLoss, dataLoss, loss);
        out.check("reg_raises_loss", ok ? "pass" : "warn", summary,
                "{\"l2\": " + num(l2) + ", \"data_loss\": " + num(dataLoss) + ", \"reg_loss\": " + num(regLoss)
                        + ", \"loss\": " + num(loss) + "}");
    }

    /** JSON number, or the string form for NaN/Inf (DESIGN.md: never 0). */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
    }
}
