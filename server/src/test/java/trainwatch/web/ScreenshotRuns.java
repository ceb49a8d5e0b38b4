package trainwatch.web;

import java.nio.file.Path;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * Writes the runs the docs/screenshots are taken from (not a test): three
 * 3,000-step runs and a 20,000-step one for compare, a 1,000,000-step run,
 * a diverging run with alerts of each severity. Usage:
 * {@code java -cp CLASSPATH trainwatch.web.ScreenshotRuns RUNS_DIR}, then
 * {@code serve --runs RUNS_DIR} and point headless Chromium at it.
 */
public final class ScreenshotRuns {
    private ScreenshotRuns() {}

    public static void main(String[] args) {
        StoredRuns runs = new StoredRuns(Path.of(args[0]));
        runs.stepsPerEpoch = 10;
        runs.optimizer = "sgd";
        runs.write("spiral-sgd-3k", 3_000, 50, s -> 0.15 + StoredRuns.decaying(3_000).applyAsDouble(s), RunStatus.FINISHED);
        runs.optimizer = "momentum";
        runs.write("spiral-momentum-3k", 3_000, 50, s -> 0.05 + StoredRuns.decaying(1_500).applyAsDouble(s), RunStatus.FINISHED);
        runs.optimizer = "rmsprop";
        runs.write("spiral-rmsprop-3k", 3_000, 50, s -> StoredRuns.decaying(1_000).applyAsDouble(s), RunStatus.FINISHED);
        runs.optimizer = "adam";
        runs.write("spiral-adam-20k", 20_000, 50, s -> StoredRuns.decaying(20_000).applyAsDouble(s) - 0.1, RunStatus.FINISHED);
        runs.stepsPerEpoch = 1;
        runs.optimizer = "sgd";
        runs.write("overnight-1m", 1_000_000, 50, StoredRuns.decaying(1_000_000), RunStatus.FINISHED);
        runs.reg = s -> s < 300 ? 0.01 : Math.pow(10, -2 - 44.0 * (s - 300) / 700);
        String id = runs.store.newId();
        runs.store.create(id, runs.config("sgd-lr50-diverges", 1_000, 50), RunStatus.QUEUED, "");
        try (RunWriter w = runs.store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            runs.append(w, 0, 300, 50, StoredRuns.decaying(1_000));
            w.alert(120, "update_ratio_low", "update_ratio/layer1", "update/weight ratio 3e-4 is below 1e-3", "raise the learning rate");
            w.alert(250, "plateau", "loss", "loss has not improved for 5 evaluations", "lower the learning rate or stop");
            runs.append(w, 300, 420, 50, s -> 0.3 * Math.exp((s - 300) / 25.0));
            w.alert(360, "loss_exploding", "loss", "loss rose 12x above its running minimum", "lower the learning rate");
            runs.append(w, 420, 460, 50, s -> s < 440 ? 13 + Math.sin(s) : Double.NaN);
            w.alert(440, "nonfinite", "loss", "loss became NaN at step 440", "lower the learning rate; check the data for NaN");
            w.status(RunStatus.DIVERGED, "loss became NaN at step 440");
        }
        System.out.println("runs written to " + args[0]);
    }
}
