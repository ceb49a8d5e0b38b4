package trainwatch.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import trainwatch.sweep.SweepChange;
import trainwatch.sweep.SweepView;
import trainwatch.sweep.TrialView;

/**
 * What `sweep` prints: one line when a trial's run starts and one when it ends, then the best
 * trial. On a terminal a status line (counts, best so far) is redrawn in place under them.
 */
final class SweepPrinter {
    private final PrintStream out;
    private final boolean terminal;
    private final String tag;
    private final Set<String> started = new HashSet<>(), ended = new HashSet<>();
    private boolean statusShown;

    SweepPrinter(PrintStream out, boolean terminal, String tag) {
        this.out = out;
        this.terminal = terminal;
        this.tag = tag;
    }

    synchronized void onChange(SweepChange c) {
        TrialView t = c.trial();
        if (t != null && t.run() != null) {
            if (started.add(t.run()))
                line("trial " + t.n() + " started: run " + t.run() + (t.retryOf() == null ? "" : " (retry of " + t.retryOf() + ")") + " " + values(t.values()));
            boolean fin = !t.status().equals("queued") && !t.status().equals("running");
            if (fin && ended.add(t.run()))
                line("trial " + t.n() + " " + t.status() + ": " + tag + " " + (t.value() == null ? "-" : num(t.value())) + " after " + t.epochs()
                        + " epochs, run " + t.run() + (t.reason().isEmpty() ? "" : " (" + t.reason() + ")"));
        }
        if (terminal && c.summary() != null) status(c.summary());
    }

    /** The final line: how the sweep ended and its best trial. */
    synchronized void done(SweepView s) {
        clearStatus();
        SweepView.Counts n = s.counts();
        String counts = n.finished() + " finished, " + n.pruned() + " pruned, " + (n.failed() + n.diverged()) + " failed, " + n.stopped() + " stopped, "
                + n.interrupted() + " interrupted";
        out.println("sweep " + s.id() + " " + s.state() + ": " + counts);
        if (s.best() != null)
            out.println("best: trial " + s.best().trial() + ", run " + s.best().run() + ", " + tag + " " + num(s.best().value()) + " " + values(s.best().values()));
        else out.println("best: none (no trial finished with a value)");
        out.flush();
    }

    private void line(String s) {
        clearStatus();
        out.println(s);
        out.flush();
    }

    private void status(SweepView s) {
        SweepView.Counts n = s.counts();
        int ended = n.finished() + n.pruned() + n.failed() + n.diverged() + n.stopped() + n.interrupted();
        out.print("\r\033[K[" + s.state() + "] " + ended + "/" + s.trials() + " ended, " + n.running() + " running, " + n.queued() + " queued"
                + (s.best() == null ? "" : ", best " + tag + " " + num(s.best().value())));
        out.flush();
        statusShown = true;
    }

    private void clearStatus() {
        if (!statusShown) return;
        out.print("\r\033[K");
        statusShown = false;
    }

    static String values(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d ? num(d) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(" "));
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String m = e < 0 ? s : s.substring(0, e), x = e < 0 ? "" : s.substring(e);
        if (m.contains(".")) m = m.replaceAll("\\.?0+$", "");
        return m + x;
    }
}
