package trainwatch.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

import trainwatch.train.ProgressObserver;

/**
 * The `train` command's progress: on a terminal one line redrawn in place
 * (bar, step/total, epoch, loss, accuracy, ETA) at most 10 times a second;
 * otherwise (a log file, a pipe) a plain line every few seconds. Called on
 * the training thread, so it formats only when it is going to print.
 */
final class ProgressPrinter implements ProgressObserver {
    static final long REDRAW_NS = 100_000_000L;
    static final long PLAIN_EVERY_NS = 5_000_000_000L;
    static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private final LongSupplier nanoTime;

    private long startNs = -1;
    private long firstStep;
    private long lastPrintNs;
    private boolean printed;
    private long printedStep = -1;
    private int lastWidth;
    private long step = -1, total;
    private int epoch;
    private double loss = Double.NaN, acc = Double.NaN, examplesPerSec = Double.NaN;

    ProgressPrinter(PrintStream out, boolean terminal, int epochs, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.nanoTime = nanoTime;
    }

    @Override
    public void onIteration(long step, long totalSteps, int epoch, double loss, double trainAcc, double examplesPerSec) {
        long now = nanoTime.getAsLong();
        this.step = step;
        this.total = totalSteps;
        this.epoch = epoch;
        this.loss = loss;
        this.acc = trainAcc;
        this.examplesPerSec = examplesPerSec;
        if (startNs < 0) {
            startNs = now;
            firstStep = step;
        }
        boolean last = totalSteps > 0 && step + 1 >= totalSteps;
        if (printed && !last && now - lastPrintNs < (terminal ? REDRAW_NS : PLAIN_EVERY_NS)) return;
        print(now);
    }

    /** Ends the progress output: the terminal line gets its newline; plain output gets the last values. */
    void finish() {
        if (step < 0) return;
        if (printedStep != step) print(nanoTime.getAsLong());
        if (terminal) out.println();
        out.flush();
        step = -1;
    }

    private void print(long now) {
        lastPrintNs = now;
        printedStep = step;
        printed = true;
        String s = line(now);
        if (terminal) {
            String pad = s.length() < lastWidth ? " ".repeat(lastWidth - s.length()) : "";
            out.print("\r" + s + pad);
            lastWidth = s.length();
        } else {
            out.println(s);
        }
        out.flush();
    }

    String line(long now) {
        StringBuilder b = new StringBuilder();
        long done = step + 1;
        if (terminal && total > 0) {
            int filled = (int) Math.min(BAR, BAR * done / total);
            b.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        }
        b.append(terminal ? "" : "step ").append(done);
        if (total > 0) b.append('/').append(total);
        b.append(" epoch ").append(Math.min(epoch + 1, Math.max(epochs, 1))).append('/').append(epochs);
        b.append(" loss ").append(fmt(loss, 4));
        b.append(" acc ").append(fmt(acc, 3));
        if (!terminal && Double.isFinite(examplesPerSec)) b.append(' ').append(Math.round(examplesPerSec)).append(" ex/s");
        String eta = eta(now);
        if (!eta.isEmpty()) b.append(" ETA ").append(eta);
        return b.toString();
    }

    /** Remaining time from the average pace since the first step seen; empty until there is a pace. */
    private String eta(long now) {
        long stepsSeen = step - firstStep;
        if (total <= 0 || stepsSeen <= 0) return "";
        double perStep = (now - startNs) / (double) stepsSeen;
        long remaining = Math.max(0, total - step - 1);
        return duration(Math.round(perStep * remaining / 1e9));
    }

    static String duration(long seconds) {
        long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : Double.isNaN(v) ? "NaN" : (v > 0 ? "Inf" : "-Inf");
    }
}
