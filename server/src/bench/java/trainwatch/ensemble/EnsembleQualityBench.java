package trainwatch.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import trainwatch.cli.EnsembleCommand;
import trainwatch.cli.SweepCommand;
import trainwatch.config.DatasetCatalog;

/**
 * Issue 12's comparison on real data (docs/benchmarks.md "Ensembles on MNIST"): best single model vs
 * a 5-seed ensemble vs the top 5 of a sweep vs a run's last 5 checkpoints vs their post-hoc averaged
 * weights vs the Polyak average kept during training, validation and test accuracy. Everything goes
 * through the real commands, in this JVM except the sweep's trainers (child JVMs, as `sweep` starts
 * them): `ensemble --seeds 5 BASE.json`, `sweep SPEC.json`, `ensemble --sweep ID --top 5`,
 * `ensemble --run SEED1 --last 5` (post-hoc averaging on), `ensemble SEED1:average ... SEED5:average`.
 * The base model is an mlp (784 -> hidden relu -> 10), adam, batch 64, Polyak decay 0.999 and 5 epoch
 * checkpoints kept; validation = the last valSize examples of the training file, test = t10k.
 * The runs stay in ensemble.quality.runs (the screenshots in docs/screenshots are taken from them).
 * Properties (defaults): ensemble.quality.dataset (mnist), .train (10000: a subset of the 50000 the
 * file leaves beside validation, to stay affordable on 2 cores), .val (10000), .epochs (6), .hidden (100), .trials (6). Needs the data: `bash scripts/setup-datasets.sh`, TRAINWATCH_DATA=$PWD/data.
 */
@Tag("bench")
class EnsembleQualityBench {
    @Test
    @org.junit.jupiter.api.Timeout(value = 90, unit = java.util.concurrent.TimeUnit.MINUTES) // the default 5 min would interrupt it
    void single_model_vs_seeds_vs_sweep_top5_vs_checkpoints_vs_averaged_weights() throws Exception {
        String dataset = System.getProperty("ensemble.quality.dataset", "mnist");
        int train = Integer.getInteger("ensemble.quality.train", 10_000), val = Integer.getInteger("ensemble.quality.val", 10_000);
        int epochs = Integer.getInteger("ensemble.quality.epochs", 6), hidden = Integer.getInteger("ensemble.quality.hidden", 100);
        int trials = Integer.getInteger("ensemble.quality.trials", 6);
        Path dataDir = DatasetCatalog.dataDir().toAbsolutePath();
        DatasetCatalog ds = DatasetCatalog.byId(dataset).orElseThrow();
        assertTrue(DatasetCatalog.locate(ds.dir(dataDir), EnsembleEvaluator.TEST_IMAGES).isPresent(),
                "no " + dataset + " test split under " + dataDir + ": run `bash scripts/setup-datasets.sh` and set TRAINWATCH_DATA=$PWD/data");
        Path runs = Path.of(System.getProperty("ensemble.quality.runs", "target/ensemble-quality-runs")).toAbsolutePath();
        deleteTree(runs);
        Files.createDirectories(runs);
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        String base = """
                {"name": "%s-mlp%d", "dataset": "%s", "model": {"type": "mlp", "hidden": [%d]},
                 "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": %d, "seed": 1,
                 "trainSize": %d, "valSize": %d, "evalEvery": 250, "filtersEvery": 1000000000,
                 "checkpoints": {"keep": 5}, "averaging": {"decay": 0.999}}""".formatted(dataset, hidden, dataset, hidden, epochs, train, val);
        Path baseFile = Files.writeString(runs.resolve("base.json"), base);
        List<String> timings = new ArrayList<>();

        long t = System.nanoTime();
        JsonNode seeds = ensemble(runs, timings, "5 seeds", "--name", "5 seeds", "--seeds", "5", baseFile.toString());
        timings.add(String.format(Locale.ROOT, "5 seed runs trained + evaluated: %.0f s", (System.nanoTime() - t) / 1e9));
        List<String> seedRuns = new ArrayList<>();
        seeds.get("members").forEach(m -> seedRuns.add(m.get("run").asText()));
        String seed1 = seedRuns.get(0);

        t = System.nanoTime();
        String spec = """
                {"name": "%s-sweep", "base": %s, "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
                 "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 0.0003, "max": 0.003},
                                "model.hidden": {"values": [[50], [100], [200]]}},
                 "trials": %d, "parallel": 1, "seed": 1}""".formatted(dataset, base, trials);
        Path specFile = Files.writeString(runs.resolve("sweep.json"), spec);
        assertEquals(0, SweepCommand.run(new String[] {specFile.toString(), "--runs", runs.toString()}), "the sweep finished");
        String sweepId;
        try (Stream<Path> s = Files.list(runs.resolve(".sweeps"))) {
            sweepId = s.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
        timings.add(String.format(Locale.ROOT, "sweep of %d trials (child JVMs, one at a time): %.0f s", trials, (System.nanoTime() - t) / 1e9));
        JsonNode top = ensemble(runs, timings, "sweep top 5", "--name", "top 5 of the sweep", "--sweep", sweepId, "--top", "5");
        JsonNode last = ensemble(runs, timings, "last 5", "--name", "last 5 checkpoints of seed 1", "--run", seed1, "--last", "5");
        List<String> avgArgs = new ArrayList<>(List.of("--name", "Polyak averages of the 5 seeds"));
        for (String r : seedRuns) avgArgs.add(r + ":average");
        JsonNode polyak = ensemble(runs, timings, "Polyak", avgArgs.toArray(String[]::new));

        JsonNode bestSeed = best(seeds.get("members"));
        JsonNode bestTrial = best(top.get("members"));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s, mlp %d, adam 0.001, batch 64, %d epochs, train %d, val %d (tail of the training file), test %d (t10k); "
                        + "load average %.1f before, %.1f after; %d cores%n%n", dataset, hidden, epochs, train, val,
                seeds.get("test_examples").asInt(), load0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors()));
        b.append("| model | members | val_acc | test_acc |\n|---|---|---|---|\n");
        row(b, "single model: seed 1 (final)", 1, seeds.get("members").get(0));
        b.append(String.format(Locale.ROOT, "| single models: mean of 5 seeds | 1 | %.4f | %.4f |%n", mean(seeds.get("members"), "val_acc"),
                mean(seeds.get("members"), "test_acc")));
        row(b, "best single model (best of the 5 seeds by val_acc: seed " + bestSeed.get("seed").asText() + ")", 1, bestSeed);
        row(b, "best single model of the sweep (best of " + trials + " trials by val_acc)", 1, bestTrial);
        row(b, "**5-seed ensemble** (mean of softmax)", 5, seeds.get("ensemble"));
        row(b, "**top 5 of the sweep** (" + trials + " trials, random lr x hidden)", top.get("members").size(), top.get("ensemble"));
        row(b, "**last 5 checkpoints** of seed 1 (" + checkpoints(last) + ")", last.get("members").size(), last.get("ensemble"));
        if (last.get("averaged").isObject()) row(b, "**post-hoc averaged weights** of those 5 checkpoints", 1, last.get("averaged"));
        else b.append("| post-hoc averaged weights | - | ").append(last.get("averaged_note").asText()).append(" | |\n");
        row(b, "**Polyak average** (decay 0.999) of seed 1", 1, polyak.get("members").get(0));
        b.append(String.format(Locale.ROOT, "| Polyak averages: mean of 5 seeds | 1 | %.4f | %.4f |%n", mean(polyak.get("members"), "val_acc"),
                mean(polyak.get("members"), "test_acc")));
        row(b, "ensemble of the 5 seeds' Polyak averages", 5, polyak.get("ensemble"));
        b.append(String.format(Locale.ROOT, "%ndisagreement between members: seeds %.4f, sweep top 5 %.4f, last 5 checkpoints %.4f%n",
                seeds.get("disagreement").asDouble(), top.get("disagreement").asDouble(), last.get("disagreement").asDouble()));
        b.append("members-added curve (val_acc), seeds:").append(curve(seeds)).append("; sweep top 5:").append(curve(top))
                .append("; last 5:").append(curve(last)).append('\n');
        b.append("evaluation throughput (members x val examples / s of forward passes): seeds ")
                .append(Math.round(seeds.get("examples_per_sec").asDouble())).append(", sweep top 5 ")
                .append(Math.round(top.get("examples_per_sec").asDouble())).append('\n');
        for (String s : timings) b.append("- ").append(s).append('\n');
        System.out.println(b);
        Files.writeString(Path.of(System.getProperty("bench.out", "target/ensemble-quality.md")), b.toString());
        assertTrue(seeds.get("ensemble").get("val_acc").asDouble() > 0.5, b.toString());
    }

    /** Runs the `ensemble` command here and returns the result.json of the ensemble it made. */
    private static JsonNode ensemble(Path runs, List<String> timings, String what, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--runs", runs.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        long t = System.nanoTime();
        int code = EnsembleCommand.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, code, what + ": " + err.toString(StandardCharsets.UTF_8) + text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ensemble (\\S+): ").matcher(text);
        assertTrue(m.find(), "the command names its ensemble: " + text);
        String id = m.group(1);
        EnsembleFiles files = new EnsembleFiles(runs);
        JsonNode r = files.result(id).orElseThrow();
        timings.add(String.format(Locale.ROOT, "%s: %.1f s (%s; evaluation %d ms)", what, (System.nanoTime() - t) / 1e9,
                "ensemble " + id, r.get("duration_ms").asLong()));
        return r;
    }

    private static JsonNode best(JsonNode members) {
        List<JsonNode> all = new ArrayList<>();
        members.forEach(all::add);
        return all.stream().max(Comparator.comparingDouble(m -> m.get("val_acc").asDouble())).orElseThrow();
    }

    private static double mean(JsonNode members, String key) {
        double s = 0;
        for (JsonNode m : members) s += m.get(key).asDouble();
        return s / members.size();
    }

    private static String checkpoints(JsonNode r) {
        List<String> names = new ArrayList<>();
        r.get("members").forEach(m -> names.add(m.get("checkpoint").asText()));
        return String.join(", ", names);
    }

    private static String curve(JsonNode r) {
        StringBuilder b = new StringBuilder();
        r.get("curve").forEach(p -> b.append(String.format(Locale.ROOT, " %d:%.4f", p.get("members").asInt(), p.get("val_acc").asDouble())));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, int members, JsonNode s) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f |%n", label, members, s.get("val_acc").asDouble(), s.get("test_acc").asDouble()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
