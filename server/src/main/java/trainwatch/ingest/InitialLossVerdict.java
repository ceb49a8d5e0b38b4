package trainwatch.ingest;

import java.util.Locale;

/**
 * The first sanity check, judged on a remote run's step 0 like on a launched one: a C-class softmax
 * starts near ln(C) on its data loss (the loss minus reg_loss when the trainer sends it), within 0.25.
 */
record InitialLossVerdict(String outcome, String summary, String detailsJson) {
    static InitialLossVerdict of(double loss, Double regLoss, int classes) {
        double data = regLoss == null ? loss : loss - regLoss;
        double expected = Math.log(classes);
        boolean ok = Double.isFinite(data) && Math.abs(data - expected) <= IngestService.INITIAL_LOSS_TOLERANCE;
        String summary = String.format(Locale.ROOT, "initial data loss %.4f vs ln(%d) = %.4f (%s %.2f)", data, classes, expected,
                ok ? "within" : "not within", IngestService.INITIAL_LOSS_TOLERANCE);
        String details = String.format(Locale.ROOT, "{\"loss\": %s, \"expected\": %s, \"classes\": %d, \"tolerance\": %s, \"loss_with_reg\": %s}",
                num(data), num(expected), classes, num(IngestService.INITIAL_LOSS_TOLERANCE), num(loss));
        return new InitialLossVerdict(ok ? "pass" : "warn", summary, details);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + (Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity") + "\"";
    }
}
