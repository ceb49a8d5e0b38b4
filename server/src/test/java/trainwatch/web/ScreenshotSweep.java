package trainwatch.web;

import java.nio.file.Path;

import trainwatch.testkit.SweepFiles;

/**
 * Writes the sweep docs/screenshots/sweep-page.png is taken from (not a test): a finished
 * 300-trial sweep with a run per trial. Usage:
 * {@code java -cp CLASSPATH trainwatch.web.ScreenshotSweep RUNS_DIR [TRIALS]}, then
 * {@code serve --runs RUNS_DIR} and point headless Chromium at #/sweep/ID.
 */
public final class ScreenshotSweep {
    private ScreenshotSweep() {}

    public static void main(String[] args) {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        SweepFiles s = SweepFiles.write(Path.of(args[0]), "spiral-lr-l2-dropout", n, true);
        System.out.println("sweep " + s.id + " written to " + args[0]);
    }
}
