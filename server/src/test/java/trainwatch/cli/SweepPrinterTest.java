package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import trainwatch.search.Goal;
import trainwatch.sweep.SweepChange;
import trainwatch.sweep.SweepView;
import trainwatch.sweep.TrialView;

/** The `sweep` command's output: a table redrawn in place on a terminal, plain lines otherwise. */
class SweepPrinterTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final AtomicLong nanos = new AtomicLong();
    static final List<String> PATHS = List.of("optimizer.lr", "model.hidden");

    static TrialView trial(int n, String status, Double value, int epochs) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("optimizer.lr", 0.001 * (n + 1));
        v.put("model.hidden", List.of(50 * (n + 1)));
        return new TrialView(n, "run-" + n, status, v, value, epochs, status.equals("pruned") ? "pruned at rung 0" : "", null);
    }

    static SweepView summary(String state, int trials, int running, int finished, int pruned, TrialView best) {
        return new SweepView("s20261203-140501-k3f9", "t", state, "", "random", new SweepView.Metric("val_acc", "max"), "asha", trials, 2, null, 0,
                new SweepView.Counts(0, running, finished, pruned, 0, 0, 0, 0),
                best == null ? null : new SweepView.Best(best.run(), best.n(), best.value(), best.values()));
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The last table drawn: what follows the last clear-to-end-of-screen. */
    List<String> lastFrame() {
        String t = text();
        return List.of(t.substring(t.lastIndexOf("\033[J") + 3).split("\n"));
    }

    @Test
    void on_a_terminal_the_table_is_redrawn_in_place_with_values_status_metric_and_best_so_far() {
        SweepPrinter p = new SweepPrinter(out, true, "val_acc", Goal.MAX, PATHS, 120, 24, nanos::get);
        p.onChange(new SweepChange("s", trial(0, "running", null, 0), summary("running", 3, 1, 0, 0, null)));
        assertTrue(text().contains("optimizer.lr"), text());
        int before = text().length();
        nanos.addAndGet(10_000_000); // 10 ms later: no redraw yet, only marked
        p.onChange(new SweepChange("s", trial(0, "finished", 0.9, 3), summary("running", 3, 0, 1, 0, trial(0, "finished", 0.9, 3))));
        assertEquals(before, text().length(), "at most one redraw per " + SweepPrinter.REDRAW_MS + " ms");
        nanos.addAndGet(SweepPrinter.REDRAW_MS * 1_000_000);
        p.refresh();
        assertTrue(text().substring(before).startsWith("\r\033[3A"), "the cursor goes back up over the 3 lines drawn: " + text().substring(before));
        p.onChange(new SweepChange("s", trial(1, "pruned", 0.5, 1), null));
        nanos.addAndGet(SweepPrinter.REDRAW_MS * 1_000_000);
        p.onChange(new SweepChange("s", trial(2, "finished", 0.95, 3), summary("running", 3, 0, 2, 1, trial(2, "finished", 0.95, 3))));
        nanos.addAndGet(SweepPrinter.REDRAW_MS * 1_000_000);
        p.refresh();
        List<String> f = lastFrame();
        assertEquals(5, f.size(), String.join("\n", f)); // header, 3 trials, status
        assertTrue(f.get(0).matches("\\s*trial\\s+status\\s+val_acc\\s+best so far\\s+epochs\\s+optimizer\\.lr\\s+model\\.hid…?.*"), f.get(0));
        assertTrue(f.get(1).matches("\\s+0\\s+finished\\s+0\\.9\\s+0\\.9\\s+3\\s+0\\.001\\s+\\[50\\]\\s*"), f.get(1));
        assertTrue(f.get(2).matches("\\s+1\\s+pruned\\s+0\\.5\\s+0\\.9\\s+1\\s+0\\.002\\s+\\[100\\]\\s*"), "a pruned trial's value is no best: " + f.get(2));
        assertTrue(f.get(3).matches("\\s+\\*2\\s+finished\\s+0\\.95\\s+0\\.95\\s+3\\s+0\\.003\\s+\\[150\\]\\s*"), "the best trial is starred: " + f.get(3));
        assertTrue(f.get(4).startsWith("[running] 3/3 ended, 0 running, 0 queued; 2 finished, 1 pruned"), f.get(4));
        assertTrue(f.get(4).contains("best val_acc 0.95 (trial 2)"), f.get(4));
        assertFalse(text().contains("trial 0 started"), "no log lines on a terminal: " + text());

        p.done(summary("finished", 3, 0, 2, 1, trial(2, "finished", 0.95, 3)));
        List<String> end = List.of(text().substring(text().lastIndexOf("\033[J") + 3).split("\n"));
        assertTrue(end.get(1).contains("*2"), "at the end the best trial comes first: " + end);
        assertTrue(end.get(end.size() - 2).startsWith("sweep s20261203-140501-k3f9 finished: 2 finished, 1 pruned"), end.toString());
        assertTrue(end.get(end.size() - 1).startsWith("best: trial 2, run run-2, val_acc 0.95"), end.toString());
    }

    @Test
    void with_more_trials_than_rows_the_running_the_best_and_the_latest_are_shown_and_lines_fit_the_width() {
        SweepPrinter p = new SweepPrinter(out, true, "val_acc", Goal.MAX, PATHS, 60, 12, nanos::get); // 7 rows of trials
        List<TrialView> ts = new ArrayList<>();
        for (int n = 0; n < 30; n++) ts.add(trial(n, n == 3 ? "running" : "finished", n == 3 ? null : (n == 5 ? 0.99 : 0.5 + n / 100.0), 3));
        for (TrialView t : ts) p.onChange(new SweepChange("s", t, null));
        p.onChange(new SweepChange("s", null, summary("running", 40, 1, 29, 0, ts.get(5))));
        nanos.addAndGet(SweepPrinter.REDRAW_MS * 1_000_000);
        p.refresh();
        List<String> f = lastFrame();
        assertEquals(9, f.size(), String.join("\n", f));
        List<String> numbers = f.subList(1, 8).stream().map(l -> l.trim().split("\\s+")[0]).toList();
        assertEquals(List.of("3", "*5", "25", "26", "27", "28", "29"), numbers, "running, best, then the latest, by number");
        assertTrue(f.get(8).contains("showing 7 of 30"), "which rows are shown comes before what a narrow terminal cuts: " + f.get(8));
        for (String l : f) assertTrue(l.length() <= 60, "cut to the terminal's width: " + l);
    }

    @Test
    void not_on_a_terminal_each_trial_start_and_end_is_one_plain_line() {
        SweepPrinter p = new SweepPrinter(out, false, "val_acc", Goal.MAX, PATHS, 120, 24, nanos::get);
        p.onChange(new SweepChange("s", trial(0, "running", null, 0), summary("running", 1, 1, 0, 0, null)));
        p.onChange(new SweepChange("s", trial(0, "finished", 0.9, 3), summary("running", 1, 0, 1, 0, trial(0, "finished", 0.9, 3))));
        nanos.addAndGet(SweepPrinter.REDRAW_MS * 1_000_000);
        p.refresh();
        p.done(summary("finished", 1, 0, 1, 0, trial(0, "finished", 0.9, 3)));
        assertEquals(List.of("trial 0 started: run run-0 optimizer.lr=0.001 model.hidden=[50]",
                "trial 0 finished: val_acc 0.9 after 3 epochs, run run-0",
                "sweep s20261203-140501-k3f9 finished: 1 finished, 0 pruned, 0 failed, 0 stopped, 0 interrupted",
                "best: trial 0, run run-0, val_acc 0.9 optimizer.lr=0.001 model.hidden=[50]"), List.of(text().split("\n")));
        assertFalse(text().contains("\033"), "no escape codes in a log");
    }
}
