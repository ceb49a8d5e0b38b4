package trainwatch.lab;

import java.util.Locale;

import trainwatch.event.CheckOutcome;

/** Human-readable reports for the command line. */
public final class CheckReports {
    private CheckReports() {}

    public static String gradients(GradientReport r) {
        StringBuilder b = new StringBuilder();
        b.append(f("Gradient check on %d examples: double precision, dropout off, centered differences (f(x+h)-f(x-h))/2h%n", r.examples()));
        b.append(r.objectiveHasKinks()
                ? "The objective has kinks (ReLU / max-pool): below 1e-4 is fine, checks that straddled a kink are left out.\n"
                : "The objective is smooth: expect 1e-7 or less.\n");
        for (GradientReport.Phase p : r.phases()) {
            b.append(p.l2() > 0 ? f("%nWith regularization (l2 = %s):%n", num(p.l2())) : f("%nData loss alone:%n"));
            b.append(f("  %-12s %7s %8s %6s %11s %11s  %s%n", "layer", "best h", "checked", "kinks", "max rel", "median rel", "reading"));
            for (GradientReport.LayerErrors s : p.best())
                b.append(f("  %-12s %7.0e %8d %6d %11.2e %11.2e  %s%n", s.layer(), s.h(), s.checked(), s.kinks(),
                        s.maxRelError(), s.medianRelError(), s.reading().text));
            b.append("  max relative error per h:");
            for (GradientReport.ByH h : p.byH()) {
                double worst = h.layers().stream().mapToDouble(GradientReport.LayerErrors::maxRelError).max().orElse(Double.NaN);
                b.append(f("  h=%.0e: %.2e", h.h(), worst));
            }
            b.append('\n');
            for (GradientReport.LayerErrors s : p.best()) {
                if (s.worst() != null && s.reading().outcome == CheckOutcome.FAIL) {
                    GradientReport.Entry e = s.worst();
                    b.append(f("  %s %s[%d]: analytic %.6e, numerical %.6e%n", e.layer(), e.param(), e.index(), e.analytic(), e.numeric()));
                }
            }
            for (GradientReport.Entry e : p.kinkEntries().subList(0, Math.min(5, p.kinkEntries().size())))
                b.append(f("  kink: %s %s[%d] (relative error %.2e there, not counted)%n", e.layer(), e.param(), e.index(), e.relError()));
        }
        b.append(f("%nResult: %s (%s)%n", r.outcome().name(), r.summary()));
        return b.toString();
    }

    public static String overfit(trainwatch.config.RunConfig c, OverfitCheck.Result r, InitialLoss.Result init, OverfitCheck.Options o) {
        StringBuilder b = new StringBuilder();
        b.append(f("Overfit check: %s (%s), optimizer %s lr %s, %d examples as one batch, no l2, no dropout, constant lr, at most %d iterations%n",
                c.name(), c.model().type(), c.optimizer().type(), num(c.optimizer().lr()), r.examples(), o.maxIterations()));
        b.append(f("Initial loss: %s [%s]%n", init.summary(), init.outcome().name()));
        b.append(f("  %9s %11s %9s%n", "iteration", "loss", "train acc"));
        int n = r.steps().length;
        int every = Math.max(1, n / 10);
        for (int i = 0; i < n; i++)
            if (i % every == 0 || i == n - 1) b.append(f("  %9d %11.4g %9.2f%n", r.steps()[i], r.losses()[i], r.accuracies()[i]));
        b.append(f("%nResult: %s (%s)%n", r.outcome().name(), r.summary()));
        if (r.outcome() != CheckOutcome.PASS)
            b.append("If a model cannot overfit 20 examples, look at the learning rate (too low or too high), the model's capacity, "
                    + "and the data and labels before anything else.\n");
        return b.toString();
    }

    /** 1.0, 0.001, 1e-05: short and exact enough for hyperparameters. */
    public static String num(double v) {
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return f("%.3g", v).replaceAll("\\.?0+e", "e");
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
