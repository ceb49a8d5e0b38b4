package trainwatch.search;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Search quality on a real DL4J objective (issue 8, Benchmarks): grid vs random vs TPE, with
 * and without ASHA, at 16 and 48 trials, each trial a real in-process training of the spiral
 * MLP ({@link SpiralObjective}: 900 training points in batches of 100, 9 epochs of momentum
 * SGD, 600 validation points; a trial is worth its best val_acc).
 *
 * <p>Repeat r (0-based) trains every trial of every method with data and initialisation seed
 * r + 1 (so the methods face the same objective within a repeat, and the grid's spread is the
 * objective's own seed noise) and seeds the samplers with 1000 + r (random and TPE share it,
 * so TPE's 10 start-up trials are random's first 10 and random+ASHA trains random's exact
 * trials, cut short). Searches are sequential, so the first 16 trials of a 48-trial random
 * or TPE search are exactly a 16-trial search: one 48-trial search per repeat gives both
 * budgets. Grids are walked in full (16 = 4 x 2 x 2 and 48 = 4 x 4 x 3 points, at the centres
 * of equal cells in log space).
 *
 * <p>Part two is Bergstra and Bengio's case: only the learning rate matters (l2 in
 * [1e-7, 1e-5] does not, after 81 steps); a 4 x 4 grid tries 4 learning rates, 16 random
 * trials try 16.
 *
 * <p>{@code -Dsearch.bench.repeats=N} (default 10), {@code -Dsearch.bench.parts=main,one}, {@code -Dsearch.bench.from=R},
 * {@code -Dsearch.bench.methods=grid,random,tpe,random+asha,tpe+asha}; {@code -Dsearch.bench.cleanup=gc} (SpiralObjective). A trial that fails
 * (an exception, not a divergence) ends the bench: it would be a broken measurement, not a bad configuration.
 */
@Tag("bench")
class SearchQualityBench {
    private static final int REPEATS = Integer.getInteger("search.bench.repeats", 10);
    /** The main part runs repeats FROM..REPEATS-1 only (a run split over two JVMs gives the same figures: every trial is deterministic). */
    private static final int FROM = Integer.getInteger("search.bench.from", 0);
    private static final int N = REPEATS - FROM;
    private static final Set<String> PARTS = Set.of(System.getProperty("search.bench.parts", "main,one").split(","));
    /** The main part's methods to run (the others print NaN): e.g. only the cheap ASHA searches of earlier repeats again. */
    private static final Set<String> METHODS = Set.of(System.getProperty("search.bench.methods", "grid,random,tpe,random+asha,tpe+asha").split(","));
    private static final int TRAIN = 900, VAL = 600, BATCH = 100, EPOCHS = 9;
    private static final double LR_MIN = 1e-4, LR_MAX = 10;

    static final Space MAIN = Space.of(
            new Param.LogUniform("optimizer.lr", LR_MIN, LR_MAX),
            new Param.LogUniform("l2", 1e-6, 1e-1),
            new Param.IntLogUniform("model.hidden", 8, 256));
    static final Space GRID_16 = Space.of(
            new Param.Grid("optimizer.lr", logCentres(LR_MIN, LR_MAX, 4)),
            new Param.Grid("l2", logCentres(1e-6, 1e-1, 2)),
            new Param.Grid("model.hidden", intLogCentres(8, 256, 2)));
    static final Space GRID_48 = Space.of(
            new Param.Grid("optimizer.lr", logCentres(LR_MIN, LR_MAX, 4)),
            new Param.Grid("l2", logCentres(1e-6, 1e-1, 4)),
            new Param.Grid("model.hidden", intLogCentres(8, 256, 3)));
    /** Only the learning rate matters here; hidden stays at 100. */
    static final Space ONE = Space.of(
            new Param.LogUniform("optimizer.lr", LR_MIN, LR_MAX),
            new Param.LogUniform("l2", 1e-7, 1e-5));
    static final Space ONE_GRID = Space.of(
            new Param.Grid("optimizer.lr", logCentres(LR_MIN, LR_MAX, 4)),
            new Param.Grid("l2", logCentres(1e-7, 1e-5, 4)));

    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private final List<double[]> costs = new ArrayList<>(); // {cpu ms, wall ms, epochs spent} per trial
    private Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES) // the default 5 min would interrupt it (and every later checkpoint write)
    void search_quality_on_the_spiral() throws Exception {
        dir = Files.createTempDirectory("search-quality");
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "spiral %d train / %d val, batch %d, %d epochs (%d steps), momentum 0.9; %d repeats%n",
                TRAIN, VAL, BATCH, EPOCHS, EPOCHS * ((TRAIN + BATCH - 1) / BATCH), REPEATS);
        System.out.println("grid 16: " + GRID_16 + "\ngrid 48: " + GRID_48);
        if (PARTS.contains("one")) oneImportant();
        if (PARTS.contains("main")) main();
        double[] c = costs.stream().mapToDouble(x -> x[0]).toArray(), w = costs.stream().mapToDouble(x -> x[1]).toArray();
        double full = costs.stream().filter(x -> x[2] >= EPOCHS).mapToDouble(x -> x[0]).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%n%d trials, %.0f epochs trained; per trial CPU median %.0f ms (full %d-epoch trial mean %.0f ms), wall median %.0f ms; total wall %.1f min%n",
                costs.size(), costs.stream().mapToDouble(x -> x[2]).sum(), median(c), EPOCHS, full, median(w), (System.nanoTime() - t0) / 60e9);
    }

    /** grid vs random vs TPE, with and without ASHA, at 16 and 48 trials. */
    private void main() {
        String[] methods = {"grid", "random", "tpe", "random+asha", "tpe+asha"};
        int[] budgets = {16, 48};
        double[][][] best = new double[methods.length][budgets.length][N];
        double[][][] epochs = new double[methods.length][budgets.length][N];
        for (int rr = 0; rr < N; rr++) {
            int r = FROM + rr;
            long t0 = System.nanoTime(), cpu0 = cpu.getCurrentThreadCpuTime();
            int costs0 = costs.size();
            SpiralObjective obj = new SpiralObjective(TRAIN, VAL, BATCH, EPOCHS, r + 1, dir);
            long samplerSeed = 1000 + r;
            for (double[][] m : best) for (double[] b : m) b[rr] = Double.NaN;
            for (double[][] m : epochs) for (double[] b : m) b[rr] = Double.NaN;
            for (int b = 0; b < budgets.length && METHODS.contains("grid"); b++) {
                List<SpiralObjective.Result> g = search(new GridSampler(b == 0 ? GRID_16 : GRID_48), obj, samplerSeed, budgets[b], EarlyStop::none);
                best[0][b][rr] = bestOf(g, budgets[b]);
                epochs[0][b][rr] = spentOf(g, budgets[b]);
            }
            for (int m = 1; m < methods.length; m++) {
                if (!METHODS.contains(methods[m])) continue;
                String method = methods[m].replace("+asha", "");
                boolean asha = methods[m].endsWith("+asha");
                List<SpiralObjective.Result> res = search(Sampler.of(method, MAIN, Goal.MAX), obj, samplerSeed, 48,
                        asha ? () -> new Asha("val_acc", Goal.MAX, 1, 3) : EarlyStop::none);
                for (int b = 0; b < budgets.length; b++) {
                    best[m][b][rr] = bestOf(res, budgets[b]);
                    epochs[m][b][rr] = spentOf(res, budgets[b]);
                }
            }
            double trained = costs.subList(costs0, costs.size()).stream().mapToDouble(x -> x[2]).sum(), cpuS = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9;
            // CPU per epoch trained stays flat repeat after repeat when the JVM does not slow down (TrialDriftBench)
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "repeat %d (%.0f s, training thread CPU %.0f s = %.1f ms per epoch trained):",
                    r, (System.nanoTime() - t0) / 1e9, cpuS, 1000 * cpuS / Math.max(1, trained)));
            for (int m = 0; m < methods.length; m++)
                line.append(String.format(Locale.ROOT, " %s %.3f/%.3f (%.0f/%.0f ep)", methods[m], best[m][0][rr], best[m][1][rr], epochs[m][0][rr], epochs[m][1][rr]));
            System.out.println(line);
            System.out.flush();
        }
        System.out.println();
        System.out.println("| trials | method | best val_acc: median | IQR | min-max | epochs trained per search: median (min-max) |");
        System.out.println("|---|---|---|---|---|---|");
        for (int b = 0; b < budgets.length; b++)
            for (int m = 0; m < methods.length; m++)
                System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.3f-%.3f | %.3f-%.3f | %.0f (%.0f-%.0f) |%n", budgets[b], methods[m], median(best[m][b]),
                        quantile(best[m][b], 0.25), quantile(best[m][b], 0.75), min(best[m][b]), max(best[m][b]),
                        median(epochs[m][b]), min(epochs[m][b]), max(epochs[m][b]));
        System.out.println();
        System.out.println("| pair, same repeat (trials) | first better | ties | second better | median difference |");
        System.out.println("|---|---|---|---|---|");
        int[][] pairs = { // {method, budget, method, budget}
                {2, 0, 1, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {3, 0, 1, 0}, {4, 0, 2, 0}, {4, 0, 3, 0},
                {2, 1, 1, 1}, {1, 1, 0, 1}, {2, 1, 0, 1}, {3, 1, 1, 1}, {4, 1, 2, 1}, {4, 1, 3, 1},
                {3, 1, 1, 0}, {4, 1, 2, 0}}; // the last two: 48 trials with ASHA vs 16 without, about the same epochs
        for (int[] p : pairs) {
            int win = 0, tie = 0, loss = 0;
            double[] d = new double[N];
            for (int r = 0; r < N; r++) {
                d[r] = best[p[0]][p[1]][r] - best[p[2]][p[3]][r];
                if (Math.abs(d[r]) < 1e-9) tie++;
                else if (d[r] > 0) win++;
                else loss++;
            }
            System.out.printf(Locale.ROOT, "| %s (%d) vs %s (%d) | %d | %d | %d | %+.3f |%n", methods[p[0]], budgets[p[1]], methods[p[2]], budgets[p[3]],
                    win, tie, loss, median(d));
        }
    }

    /** Bergstra and Bengio: one important parameter of two; a 4 x 4 grid tries 4 of its values. */
    private void oneImportant() {
        String[] methods = {"grid 4x4", "random", "tpe"};
        double[][] best = new double[methods.length][REPEATS];
        double[][] distinct = new double[methods.length][REPEATS];
        double[][] l2Range = new double[4][REPEATS], lrMean = new double[4][REPEATS];
        for (int rr = 0; rr < REPEATS; rr++) {
            int r = rr;
            SpiralObjective obj = new SpiralObjective(TRAIN, VAL, BATCH, EPOCHS, r + 1, dir);
            long samplerSeed = 2000 + r;
            for (int m = 0; m < methods.length; m++) {
                Sampler s = m == 0 ? new GridSampler(ONE_GRID) : Sampler.of(methods[m], ONE, Goal.MAX);
                List<Assignment> tried = new ArrayList<>();
                List<SpiralObjective.Result> res = search(s, obj, samplerSeed, 16, EarlyStop::none, tried);
                best[m][rr] = bestOf(res, 16);
                Set<Object> lrs = new HashSet<>();
                for (Assignment a : tried) lrs.add(a.get("optimizer.lr"));
                distinct[m][rr] = lrs.size();
                if (m == 0) // the grid's 4 l2 values at each of its 4 learning rates: how much does l2 move val_acc?
                    for (int i = 0; i < 4; i++) {
                        double lo = 1, hi = 0, sum = 0;
                        for (int j = 4 * i; j < 4 * i + 4; j++) {
                            double v = res.get(j).failed() ? 0 : res.get(j).value();
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                            sum += v;
                        }
                        l2Range[i][rr] = hi - lo;
                        lrMean[i][rr] = sum / 4;
                    }
            }
            System.out.printf(Locale.ROOT, "one-important repeat %d: grid %.3f random %.3f tpe %.3f%n", r, best[0][rr], best[1][rr], best[2][rr]);
            System.out.flush();
        }
        System.out.println();
        System.out.println("| 16 trials, only lr matters | distinct lr values | best val_acc: median | IQR | min-max |");
        System.out.println("|---|---|---|---|---|");
        for (int m = 0; m < methods.length; m++)
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.3f | %.3f-%.3f | %.3f-%.3f |%n", methods[m], median(distinct[m]), median(best[m]),
                    quantile(best[m], 0.25), quantile(best[m], 0.75), min(best[m]), max(best[m]));
        System.out.println();
        System.out.println("| grid lr | val_acc, mean of its 4 l2 values: median over repeats | range over the 4 l2 values: median | max |");
        System.out.println("|---|---|---|---|");
        List<Object> gridLr = ((Param.Choice) ONE_GRID.get("optimizer.lr")).choices();
        for (int i = 0; i < 4; i++)
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", gridLr.get(i), median(lrMean[i]), median(l2Range[i]), max(l2Range[i]));
    }

    private List<SpiralObjective.Result> search(Sampler sampler, SpiralObjective obj, long seed, int budget, Supplier<EarlyStop> stop) {
        return search(sampler, obj, seed, budget, stop, new ArrayList<>());
    }

    /** A sequential search of {@code budget} trials (fewer if a grid runs out); {@code tried} gets the assignments. */
    private List<SpiralObjective.Result> search(Sampler sampler, SpiralObjective obj, long seed, int budget, Supplier<EarlyStop> stopFactory,
                                                List<Assignment> tried) {
        EarlyStop stop = stopFactory.get();
        List<Trial> history = new ArrayList<>();
        List<SpiralObjective.Result> out = new ArrayList<>();
        for (int i = 0; i < budget; i++) {
            var next = sampler.suggest(history, List.of(), Sampler.rngFor(seed, i));
            if (next.isEmpty()) break;
            Assignment a = next.get();
            long c0 = cpu.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            SpiralObjective.Result r = obj.run(a, "trial-" + i, stop);
            costs.add(new double[] {(cpu.getCurrentThreadCpuTime() - c0) / 1e6, (System.nanoTime() - w0) / 1e6, r.spent()});
            history.add(r.trial(a));
            tried.add(a);
            out.add(r);
        }
        if (out.size() != budget) throw new AssertionError("search ran " + out.size() + " trials, not " + budget);
        return out;
    }

    /** The best value among the first n trials (complete or pruned; failed ones count 0). */
    private static double bestOf(List<SpiralObjective.Result> res, int n) {
        double best = 0;
        for (int i = 0; i < n; i++) if (!res.get(i).failed()) best = Math.max(best, res.get(i).value());
        return best;
    }

    private static double spentOf(List<SpiralObjective.Result> res, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += res.get(i).spent();
        return s;
    }

    /** n points at the centres of n equal cells of [min, max] in log space. */
    static List<Object> logCentres(double min, double max, int n) {
        List<Object> out = new ArrayList<>();
        double lo = Math.log10(min), w = (Math.log10(max) - lo) / n;
        for (int i = 0; i < n; i++) out.add(Double.parseDouble(String.format(Locale.ROOT, "%.3g", Math.pow(10, lo + (i + 0.5) * w))));
        return out;
    }

    static List<Object> intLogCentres(long min, long max, int n) {
        List<Object> out = new ArrayList<>();
        for (Object o : logCentres(min, max, n)) out.add(Math.round((Double) o));
        return out;
    }

    static double quantile(double[] v, double q) { // linear interpolation between order statistics (R type 7)
        double[] s = v.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
