package trainwatch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import trainwatch.search.Goal;
import trainwatch.sweep.SweepChange;
import trainwatch.sweep.SweepView;
import trainwatch.sweep.TrialView;

/**
 * What `sweep` prints. Not on a terminal: one line when a trial's run starts and one when it
 * ends, then the best trial (a log a script can read). On a terminal: a table of the trials
 * (number, sampled values, status, metric, best so far), redrawn in place at most every
 * {@link #REDRAW_MS} ms, under a line with the counts; when the sweep has more trials than
 * the screen has rows, the running ones, the best one and the latest ended ones are shown.
 * At the end the table stays on screen, best trials first, and the best trial is printed.
 */
final class SweepPrinter {
    static final long REDRAW_MS = 250;
    private static final String CLEAR_LINE = "\r\033[K", CLEAR_DOWN = "\033[J";

    private final PrintStream out;
    private final boolean terminal;
    private final String tag;
    private final Goal goal;
    private final List<String> paths;
    private final int width, maxRows;
    private final LongSupplier nanos;
    private final Set<String> started = new HashSet<>(), ended = new HashSet<>();
    /** The latest attempt of each trial, by trial number. */
    private final Map<Integer, TrialView> trials = new TreeMap<>();
    private SweepView summary;
    private int drawnLines;
    private long drawnAt = Long.MIN_VALUE;
    private boolean dirty;

    /** A printer for a plain (non-terminal) stream: lines only. */
    SweepPrinter(PrintStream out, boolean terminal, String tag) {
        this(out, terminal, tag, Goal.MAX, List.of(), 120, 24, System::nanoTime);
    }

    /**
     * @param paths  the searched parameters, a column each
     * @param width  the terminal's columns (a table line is cut to fit, so redrawing never wraps)
     * @param height the terminal's rows (the table keeps to it)
     */
    SweepPrinter(PrintStream out, boolean terminal, String tag, Goal goal, List<String> paths, int width, int height, LongSupplier nanos) {
        this.out = out;
        this.terminal = terminal;
        this.tag = tag;
        this.goal = goal;
        this.paths = List.copyOf(paths);
        this.width = Math.max(40, width);
        this.maxRows = Math.max(3, height - 5);
        this.nanos = nanos;
    }

    /** The terminal's size from COLUMNS / LINES when the shell exports them, else 120 x 24. */
    static int[] terminalSize(Map<String, String> env) {
        return new int[] {intOr(env.get("COLUMNS"), 120), intOr(env.get("LINES"), 24)};
    }

    private static int intOr(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    synchronized void onChange(SweepChange c) {
        TrialView t = c.trial();
        if (c.summary() != null) summary = c.summary();
        if (t != null) trials.put(t.n(), t);
        if (terminal) {
            dirty = true;
            refresh();
            return;
        }
        if (t != null && t.run() != null) {
            if (started.add(t.run()))
                line("trial " + t.n() + " started: run " + t.run() + (t.retryOf() == null ? "" : " (retry of " + t.retryOf() + ")") + " " + values(t.values()));
            boolean fin = !t.status().equals("queued") && !t.status().equals("running");
            if (fin && ended.add(t.run()))
                line("trial " + t.n() + " " + t.status() + ": " + tag + " " + (t.value() == null ? "-" : num(t.value())) + " after " + t.epochs()
                        + " epochs, run " + t.run() + (t.reason().isEmpty() ? "" : " (" + t.reason() + ")"));
        }
    }

    /** Redraws the table if something changed and the last redraw is {@link #REDRAW_MS} old (the command calls it as it waits). */
    synchronized void refresh() {
        if (!terminal || !dirty) return;
        long now = nanos.getAsLong();
        if (drawnAt != Long.MIN_VALUE && now - drawnAt < REDRAW_MS * 1_000_000L) return;
        draw(false);
        drawnAt = now;
        dirty = false;
    }

    /** The final lines: how the sweep ended and its best trial (on a terminal under the last table, best trials first). */
    synchronized void done(SweepView s) {
        summary = s;
        if (terminal) draw(true);
        SweepView.Counts n = s.counts();
        String counts = n.finished() + " finished, " + n.pruned() + " pruned, " + (n.failed() + n.diverged()) + " failed, " + n.stopped() + " stopped, "
                + n.interrupted() + " interrupted";
        out.println("sweep " + s.id() + " " + s.state() + ": " + counts);
        if (s.best() != null)
            out.println("best: trial " + s.best().trial() + ", run " + s.best().run() + ", " + tag + " " + num(s.best().value()) + " " + values(s.best().values()));
        else out.println("best: none (no trial finished with a value)");
        out.flush();
    }

    /** Replaces the previous table (cursor up over it, clear to the end of the screen) with the current one. */
    private void draw(boolean last) {
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) b.append("\r\033[").append(drawnLines).append('A');
        b.append(CLEAR_LINE).append(CLEAR_DOWN);
        List<String> lines = table(last);
        for (String l : lines) b.append(clip(l)).append('\n');
        out.print(b);
        out.flush();
        drawnLines = last ? 0 : lines.size();
    }

    /** The table's lines: a header, a row per shown trial, and a status line. */
    List<String> table(boolean last) {
        List<TrialView> all = new ArrayList<>(trials.values());
        Map<Integer, Double> bestSoFar = new TreeMap<>();
        Double best = null;
        TrialView bestTrial = null;
        for (TrialView t : all) { // by trial number
            if ("finished".equals(t.status()) && t.value() != null && Double.isFinite(t.value()) && (best == null || goal.better(t.value(), best))) {
                best = t.value();
                bestTrial = t;
            }
            bestSoFar.put(t.n(), best);
        }
        List<TrialView> shown = pick(all, bestTrial, last);
        int[] w = new int[paths.size()];
        for (int i = 0; i < w.length; i++) w[i] = Math.min(16, Math.max(10, paths.get(i).length()));
        int mw = Math.max(9, tag.length()), bw = Math.max(11, mw);
        List<String> lines = new ArrayList<>();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%6s  %-11s %" + mw + "s %" + bw + "s %6s", "trial", "status", tag, "best so far", "epochs"));
        for (int i = 0; i < w.length; i++) h.append("  ").append(pad(cut(paths.get(i), w[i]), w[i]));
        lines.add(h.toString());
        for (TrialView t : shown) {
            Double bs = bestSoFar.get(t.n());
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "%6s  %-11s %" + mw + "s %" + bw + "s %6s", (t == bestTrial ? "*" : "") + t.n(),
                    t.status(), t.value() == null ? "-" : num(t.value()), bs == null ? "-" : num(bs),
                    t.status().equals("queued") ? "-" : String.valueOf(t.epochs())));
            for (int i = 0; i < w.length; i++) {
                Object v = t.values() == null ? null : t.values().get(paths.get(i));
                r.append("  ").append(pad(cut(v == null ? "-" : value(v), w[i]), w[i]));
            }
            lines.add(r.toString());
        }
        lines.add(status(all.size(), shown.size(), last));
        return lines;
    }

    /**
     * Every trial when they fit; else, during the sweep, the running and queued ones, the best one and the latest
     * ended ones (by trial number), and at the end the best ones first.
     */
    private List<TrialView> pick(List<TrialView> all, TrialView bestTrial, boolean last) {
        if (all.size() <= maxRows) {
            if (!last) return all;
            List<TrialView> sorted = new ArrayList<>(all);
            sorted.sort(bestFirst());
            return sorted;
        }
        if (last) {
            List<TrialView> sorted = new ArrayList<>(all);
            sorted.sort(bestFirst());
            return sorted.subList(0, maxRows);
        }
        Set<TrialView> keep = new HashSet<>();
        for (TrialView t : all) if (active(t) && keep.size() < maxRows) keep.add(t);
        if (bestTrial != null && keep.size() < maxRows) keep.add(bestTrial);
        for (int i = all.size() - 1; i >= 0 && keep.size() < maxRows; i--) keep.add(all.get(i));
        List<TrialView> out = new ArrayList<>(keep);
        out.sort(Comparator.comparingInt(TrialView::n));
        return out;
    }

    private Comparator<TrialView> bestFirst() {
        return (a, b) -> {
            boolean fa = "finished".equals(a.status()) && a.value() != null, fb = "finished".equals(b.status()) && b.value() != null;
            if (fa != fb) return fa ? -1 : 1;
            if (fa && !a.value().equals(b.value())) return goal.better(a.value(), b.value()) ? -1 : 1;
            return Integer.compare(a.n(), b.n());
        };
    }

    private static boolean active(TrialView t) {
        return t.status().equals("running") || t.status().equals("queued");
    }

    /** Counts first, then which rows are shown, then the rest: a narrow terminal cuts the end. */
    private String status(int total, int shown, boolean last) {
        StringBuilder s = new StringBuilder();
        String rows = shown >= total ? "" : last ? "the best " + shown + " of " + total + " trials shown" : "showing " + shown + " of " + total + " trials";
        if (summary == null) return rows;
        SweepView.Counts n = summary.counts();
        int ended = n.finished() + n.pruned() + n.failed() + n.diverged() + n.stopped() + n.interrupted();
        s.append('[').append(summary.state()).append("] ").append(ended).append('/').append(summary.trials()).append(" ended, ")
                .append(n.running()).append(" running, ").append(n.queued()).append(" queued");
        if (!rows.isEmpty()) s.append("; ").append(rows);
        s.append("; ").append(n.finished()).append(" finished, ").append(n.pruned()).append(" pruned, ").append(n.failed() + n.diverged()).append(" failed");
        if (summary.best() != null) s.append("; best ").append(tag).append(' ').append(num(summary.best().value())).append(" (trial ").append(summary.best().trial()).append(')');
        return s.toString();
    }

    private String clip(String line) {
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }

    private static String cut(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w - 1) + "…";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private void line(String s) {
        out.println(s);
        out.flush();
    }

    static String values(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(" "));
    }

    private static String value(Object v) {
        return v instanceof Double d ? num(d) : String.valueOf(v);
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String m = e < 0 ? s : s.substring(0, e), x = e < 0 ? "" : s.substring(e);
        if (m.contains(".")) m = m.replaceAll("\\.?0+$", "");
        return m + x;
    }
}
