package trainwatch.search;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long one TPE suggestion takes as the history grows, on the five-parameter
 * space (two log-uniform, one categorical, one uniform, one int-log), with 2 running
 * trials. The history is synthetic (values drawn at random, a sphere-like metric, 5%
 * failed and 10% pruned), since only its size matters for the cost. Wall time and the
 * calling thread's CPU time are both reported: on a loaded shared machine the wall time
 * is mostly time spent waiting for a core.
 */
@Tag("bench")
class TpeSuggestBench {
    private static final int[] SIZES = {100, 1_000, 10_000, 30_000};
    private static final int WARMUP = 200, CALLS = 100; // C2 needs ~200 calls to settle (cold calls run ~3x slower)

    @Test
    void suggestion_time_by_history_size() {
        Space space = Space.of(
                new Param.LogUniform("optimizer.lr", 1e-4, 1),
                new Param.LogUniform("l2", 1e-6, 1e-1),
                new Param.Values("model.hidden", List.of(List.of(50), List.of(100), List.of(200, 100))),
                new Param.Uniform("dropout", 0, 0.5),
                new Param.IntLogUniform("batchSize", 16, 256));
        TpeSampler tpe = new TpeSampler(space, Goal.MAX, TpeSampler.Settings.defaults());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| finished trials | wall median ms | wall p95 ms | wall max ms | CPU median ms | CPU p95 ms | CPU max ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : SIZES) {
            List<Trial> history = history(space, n);
            List<Assignment> pending = List.of(RandomSampler.draw(space, new SplittableRandom(1)), RandomSampler.draw(space, new SplittableRandom(2)));
            for (int i = 0; i < WARMUP; i++) tpe.suggest(history, pending, Sampler.rngFor(7, i));
            double[] ms = new double[CALLS], cpuMs = new double[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long c0 = cpu.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                tpe.suggest(history, pending, Sampler.rngFor(8, i));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpuMs[i] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpuMs);
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", n, ms[CALLS / 2], ms[(int) (CALLS * 0.95)], ms[CALLS - 1],
                    cpuMs[CALLS / 2], cpuMs[(int) (CALLS * 0.95)], cpuMs[CALLS - 1]);
        }
    }

    private static List<Trial> history(Space space, int n) {
        SplittableRandom rng = new SplittableRandom(n);
        List<Trial> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Assignment a = RandomSampler.draw(space, rng);
            double lr = Math.log10((Double) a.get("optimizer.lr")) + 2, l2 = Math.log10((Double) a.get("l2")) + 4;
            double acc = 1 / (1 + lr * lr + 0.3 * l2 * l2 + (Double) a.get("dropout"));
            double u = rng.nextDouble();
            out.add(u < 0.05 ? Trial.failed(a) : u < 0.15 ? Trial.pruned(a, acc * 0.8, 3) : Trial.complete(a, acc));
        }
        return out;
    }

}
