package trainwatch.live;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * A trainer stand-in for the benchmarks, run as its own process like the real one:
 * each iteration does a fixed amount of arithmetic (not a fixed time, so CPU stolen by
 * the server shows up as a longer iteration), appends one record of {@code tags} values
 * and flushes, paced to {@code pointsPerSec}. Prints "iter_us median=.. mean=.. p95=.." at the end.
 * Args: runsDir id pointsPerSec seconds tags workUnits
 */
public final class FakeTrainer {
    private FakeTrainer() {}

    public static void main(String[] args) {
        Path runs = Path.of(args[0]);
        String id = args[1];
        int pointsPerSec = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int tags = Integer.parseInt(args[4]);
        int work = Integer.parseInt(args[5]);
        String[] names = new String[tags];
        for (int i = 0; i < tags; i++) names[i] = i == 0 ? "loss" : "m" + i;
        double[] values = new double[tags];
        double stepsPerSec = (double) pointsPerSec / tags;
        long n = (long) (stepsPerSec * seconds);
        long[] iterNanos = new long[(int) n];
        RunStore store = new RunStore(runs, Clock.systemUTC());
        double sink = 0;
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            w.flush();
            long start = System.nanoTime();
            for (long step = 0; step < n; step++) {
                long due = start + (long) (step * 1e9 / stepsPerSec);
                long wait = due - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                long t0 = System.nanoTime();
                for (int k = 0; k < work; k++) sink += Math.sqrt(k + sink * 1e-9);
                for (int i = 0; i < tags; i++) values[i] = Math.sin(step * 0.01 + i) + sink * 1e-30;
                w.scalars(step, names, values);
                w.flush();
                iterNanos[(int) step] = System.nanoTime() - t0;
            }
            w.status(RunStatus.FINISHED, "");
        }
        long[] sorted = iterNanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(iterNanos).average().orElse(0) / 1e3;
        System.out.printf("iter_us median=%.1f mean=%.1f p95=%.1f n=%d sink=%s%n", sorted[sorted.length / 2] / 1e3, mean,
                sorted[(int) (sorted.length * 0.95)] / 1e3, n, sink > 0 ? "+" : "-");
    }
}
