package trainwatch.search;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Does one JVM get slower per trial as it trains more networks (docs/benchmarks.md, "Search
 * quality")? Trains the same spiral trial again and again and prints, per block of trials, the
 * training thread's CPU, the process CPU, GC time, live threads, heap and the thread's ND4J
 * native memory JavaCPP holds: mvn -B -o -Pbench -pl server test -Dtest=TrialDriftBench -Ddrift.trials=300
 * [-Dsearch.bench.cleanup=gc|workspaces|none]
 */
@Tag("bench")
class TrialDriftBench {
    static final int TRIALS = Integer.getInteger("drift.trials", 300);
    static final int BLOCK = Integer.getInteger("drift.block", 25);

    @Test
    @Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES)
    void cpu_per_trial_stays_flat_over_many_trials() throws Exception {
        Path dir = Files.createTempDirectory("drift");
        SpiralObjective obj = new SpiralObjective(900, 600, 100, 9, 1, dir);
        Assignment a = SpiralObjective.assignment(Map.of("optimizer.lr", 0.3, "l2", 1e-4, "model.hidden", 100L));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double firstBlock = Double.NaN;
        long c0 = threads.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), g0 = gcMs(), w0 = System.nanoTime();
        for (int i = 1; i <= TRIALS; i++) {
            obj.run(a, "t" + i, EarlyStop.none());
            if (i % BLOCK != 0) continue;
            long c1 = threads.getCurrentThreadCpuTime(), p1 = os.getProcessCpuTime(), g1 = gcMs(), w1 = System.nanoTime();
            double thread = (c1 - c0) / 1e6 / BLOCK;
            if (Double.isNaN(firstBlock)) firstBlock = thread;
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT,
                    "trials %4d: per trial thread CPU %6.1f ms, process CPU %6.1f ms, GC %5.1f ms, wall %6.1f ms; threads %d, heap used %d MB,"
                            + " collections %d, JavaCPP native %d MB (physical %d MB, limit %d MB) [cleanup %s]%n",
                    i, thread, (p1 - p0) / 1e6 / BLOCK, (double) (g1 - g0) / BLOCK, (w1 - w0) / 1e6 / BLOCK, threads.getThreadCount(),
                    (rt.totalMemory() - rt.freeMemory()) >> 20, gcCount(), org.bytedeco.javacpp.Pointer.totalBytes() >> 20,
                    org.bytedeco.javacpp.Pointer.physicalBytes() >> 20, org.bytedeco.javacpp.Pointer.maxBytes() >> 20, SpiralObjective.CLEANUP);
            System.out.flush();
            c0 = c1;
            p0 = p1;
            g0 = g1;
            w0 = w1;
        }
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, g.getCollectionCount());
        return n;
    }

    static long gcMs() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, g.getCollectionTime());
        return t;
    }
}
