package trainwatch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * A sweep written straight into runs/.sweeps/ in the layout of docs/sweeps.md, as a finished
 * sweep's files would be: spec.json and events.jsonl (a trial and an end event per trial, then
 * "finished"), optionally with a real run directory per trial (sweep.json, a val_acc curve), so
 * the pages can be tested with thousands of trials without training one. Five parameters: two
 * log, one categorical, one linear, one integer log; val_acc peaks near lr 0.3, l2 1e-4.
 */
public final class SweepFiles {
    public static final String SPEC_TEMPLATE = """
            {"name": %s, "base": {"dataset": "spiral", "epochs": 2, "evalEvery": 1},
             "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
             "parameters": {
               "optimizer.lr": {"distribution": "log_uniform", "min": 1e-4, "max": 1},
               "l2": {"distribution": "log_uniform", "min": 1e-6, "max": 1e-1},
               "model.hidden": {"values": [[50], [100], [200, 100]]},
               "dropout": {"distribution": "uniform", "min": 0, "max": 0.5},
               "batchSize": {"distribution": "int_log_uniform", "min": 16, "max": 256}},
             "trials": %d, "parallel": 2, "seed": 1}""";

    /** One written trial: its number, run id, status, values and value (null for failed). */
    public record Trial(int n, String run, String status, Map<String, Object> values, Double value, int epochs) {}

    public final String id;
    public final List<Trial> trials = new ArrayList<>();

    private SweepFiles(String id) {
        this.id = id;
    }

    /**
     * Writes a finished sweep of {@code n} trials under {@code runs}; {@code runDirs} also writes each
     * trial's run directory (status, config, sweep.json, a short val_acc curve).
     */
    public static SweepFiles write(Path runs, String name, int n, boolean runDirs) {
        SplittableRandom rng = new SplittableRandom(7);
        String id = String.format("s20261203-%06d-%s", 100000 + Math.abs(name.hashCode() % 800000), "fx" + (char) ('a' + Math.abs(name.hashCode()) % 26) + "1");
        SweepFiles out = new SweepFiles(id);
        Path dir = runs.resolve(".sweeps").resolve(id);
        RunStore store = runDirs ? new RunStore(runs.toAbsolutePath().normalize(), java.time.Clock.systemUTC()) : null;
        StringBuilder events = new StringBuilder();
        long t = 1_795_710_901_000L;
        events.append(line(Map.of("type", "state", "state", "running", "t", t)));
        for (int i = 0; i < n; i++) {
            double lr = Math.pow(10, -4 + 4 * rng.nextDouble());
            double l2 = Math.pow(10, -6 + 5 * rng.nextDouble());
            List<Integer> hidden = List.of(List.of(50), List.of(100), List.of(200, 100)).get(rng.nextInt(3));
            double dropout = 0.5 * rng.nextDouble();
            long batch = Math.round(Math.exp(Math.log(15.5) + rng.nextDouble() * (Math.log(256.5) - Math.log(15.5))));
            batch = Math.max(16, Math.min(256, batch));
            double v = 0.97 - 0.08 * sq(Math.log10(lr) + 0.5) - 0.02 * Math.abs(Math.log10(l2) + 4) - 0.1 * dropout + 0.01 * rng.nextDouble();
            v = Math.max(0.3, Math.min(0.99, v));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("optimizer.lr", lr);
            values.put("l2", l2);
            values.put("model.hidden", hidden);
            values.put("dropout", dropout);
            values.put("batchSize", batch);
            String status = "finished";
            int epochs = 2;
            String reason = "";
            Double value = v;
            double u = rng.nextDouble();
            if (u < 0.05) {
                status = "failed";
                value = null;
                epochs = 0;
                reason = "trainer exited with 1";
            } else if (u < 0.35) {
                status = "pruned";
                epochs = 1;
                value = v - 0.1;
                reason = "pruned at rung epoch 1: val_acc " + String.format("%.3f", v - 0.1) + " is not in the top 1/3";
            }
            String run = runDirs ? store.newId() : String.format("20261203-12%04d-f%03d", i % 10_000, i % 1000);
            if (runDirs) writeRun(store, run, id, i, values, status, value, epochs);
            events.append(line(map("type", "trial", "n", i, "run", run, "values", values, "t", t + i)));
            events.append(line(map("type", "end", "run", run, "status", status, "value", value, "epochs", epochs, "reason", reason)));
            out.trials.add(new Trial(i, run, status, values, value, epochs));
        }
        events.append(line(Map.of("type", "state", "state", "finished", "t", t + n + 1)));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("spec.json"), SPEC_TEMPLATE.formatted(Json.write(name), n));
            Files.writeString(dir.resolve("events.jsonl"), events.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void writeRun(RunStore store, String run, String sweep, int n, Map<String, Object> values, String status, Double value, int epochs) {
        String config = """
                {"name": "trial-%d", "dataset": "spiral", "epochs": 2, "evalEvery": 1, "batchSize": 300}""".formatted(n);
        store.create(run, config, RunStatus.QUEUED, "");
        try {
            Files.writeString(store.root().resolve(run).resolve("sweep.json"),
                    Json.write(map("sweep", sweep, "trial", n, "values", values)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RunWriter w = store.openWriter(run)) {
            w.status(RunStatus.RUNNING, "");
            String[] tags = {"loss", "val_acc"};
            double top = value == null ? 0.3 : value;
            for (int s = 0; s < 20 * Math.max(1, epochs); s++) {
                double frac = 1 - Math.exp(-s / 6.0);
                w.scalars(s, tags, new double[] {1.1 - frac * (top - 0.2), 0.33 + frac * (top - 0.33)});
            }
            w.status(RunStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT)), status.equals("finished") ? "" : "as the sweep fixture says");
        }
    }

    private static double sq(double x) {
        return x * x;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static String line(Map<String, Object> event) {
        return Json.write(event) + "\n";
    }
}
