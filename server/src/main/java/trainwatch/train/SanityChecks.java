package trainwatch.train;

import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import trainwatch.event.CheckOutcome;
import trainwatch.store.RunWriter;

/**
 * CS231n's checks on step 0's numbers: the data loss at init is ~ln(C) (a
 * different value means a broken init, loss or label encoding), and the
 * loss DL4J optimizes really contains the configured l2 term. Both compare
 * DL4J's score against an independent measurement taken just before the
 * first update ({@link Step0}), never against DL4J's own split of it: a check
 * of "score - DL4J's reg part" would only prove DL4J's reg part is positive.
 * The run goes on whatever they say; a fail is recorded for the user to see.
 */
final class SanityChecks {
    static final double INITIAL_LOSS_TOLERANCE = 0.25;
    /** Relative agreement expected between DL4J's float score and the double recomputation. */
    static final double SCORE_TOLERANCE = 1e-4;

    private SanityChecks() {}

    /** Measured on the first batch at the parameters the first fit starts from. */
    record Step0(double dataLoss, double l2Term, double dl4jInferenceScore) {
        static Step0 measure(MultiLayerNetwork net, DataSet batch, double l2) {
            return new Step0(Losses.dataLoss(net, batch), Losses.l2Term(net, l2), net.score(batch, false));
        }
    }

    /** One check's verdict; details is a JSON object. */
    record Verdict(CheckOutcome outcome, String summary, String details) {}

    static void initialLoss(RunWriter out, int classes, double reportedLoss, Step0 m) {
        Verdict v = judgeInitialLoss(classes, reportedLoss, m);
        out.check("initial_loss", v.outcome().wire(), v.summary(), v.details());
    }

    static void regRaisesLoss(RunWriter out, double l2, double reportedLoss, Step0 m) {
        Verdict v = judgeRegularization(l2, reportedLoss, m);
        out.check("reg_raises_loss", v.outcome().wire(), v.summary(), v.details());
    }

    static Verdict judgeInitialLoss(int classes, double reportedLoss, Step0 m) {
        double expected = Math.log(classes);
        double diff = Math.abs(m.dataLoss() - expected);
        boolean ok = diff <= INITIAL_LOSS_TOLERANCE;
        String summary = f("initial data loss %.4f vs ln(%d) = %.4f (%s %.2f)",
                m.dataLoss(), classes, expected, ok ? "within" : "not within", INITIAL_LOSS_TOLERANCE);
        return new Verdict(ok ? CheckOutcome.PASS : CheckOutcome.WARN, summary,
                "{\"loss\": " + num(m.dataLoss()) + ", \"expected\": " + num(expected) + ", \"classes\": " + classes
                        + ", \"tolerance\": " + INITIAL_LOSS_TOLERANCE + ", \"loss_with_reg\": " + num(reportedLoss) + "}");
    }

    /**
     * Pass when DL4J's reported score equals the independent data loss plus the
     * l2 term from the weights; fail when it equals the data loss alone (the l2
     * term was dropped somewhere between the config and the layers) or neither;
     * warn when the term is too small for float scores to show.
     */
    static Verdict judgeRegularization(double l2, double reportedLoss, Step0 m) {
        double expected = m.dataLoss() + m.l2Term();
        double tolerance = SCORE_TOLERANCE * Math.max(1.0, Math.abs(expected));
        double diff = reportedLoss - expected;
        CheckOutcome outcome;
        String summary;
        if (!Double.isFinite(reportedLoss) || !Double.isFinite(expected)) {
            outcome = CheckOutcome.FAIL;
            summary = f("cannot compare: DL4J's score %s, data loss + l2 term %s", reportedLoss, expected);
        } else if (m.l2Term() <= 2 * tolerance) {
            outcome = CheckOutcome.WARN;
            summary = f("l2 %.3g adds only %.3g to the loss, below what a float score resolves (%.1g): not verified", l2, m.l2Term(), tolerance);
        } else if (Math.abs(diff) <= tolerance) {
            outcome = CheckOutcome.PASS;
            summary = f("l2 %.3g adds %.4g to the initial loss (%.4f -> %.4f); DL4J's score agrees to %.1g", l2, m.l2Term(), m.dataLoss(), expected, Math.abs(diff));
        } else if (Math.abs(reportedLoss - m.dataLoss()) <= tolerance) {
            outcome = CheckOutcome.FAIL;
            summary = f("DL4J's score %.4f is the data loss alone (%.4f): the l2 term %.4g of l2 %.3g is not in the optimized loss",
                    reportedLoss, m.dataLoss(), m.l2Term(), l2);
        } else {
            outcome = CheckOutcome.FAIL;
            summary = f("DL4J's score %.4f is neither the data loss %.4f nor data loss + l2 term %.4f (off by %.4g)",
                    reportedLoss, m.dataLoss(), expected, diff);
        }
        String details = "{\"l2\": " + num(l2) + ", \"data_loss\": " + num(m.dataLoss()) + ", \"reg_loss\": " + num(m.l2Term())
                + ", \"expected_loss\": " + num(expected) + ", \"loss\": " + num(reportedLoss) + ", \"tolerance\": " + num(tolerance) + "}";
        return new Verdict(outcome, summary, details);
    }

    /** JSON number, or the string form for NaN/Inf (never 0: a missing value must not read as a measured one). */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
