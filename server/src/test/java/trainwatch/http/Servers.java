package trainwatch.http;

import java.nio.file.Path;
import java.util.List;

import trainwatch.store.RunStore;

/** Starting in-process servers for the tests, and making sure no trainer outlives them. */
final class Servers {
    private Servers() {}

    static TrainwatchServer start(Path runs, int maxParallel) throws Exception {
        return new TrainwatchServer(new TrainwatchServer.Options("127.0.0.1", 0, runs, maxParallel, null, null, null, null, 10_000,
                List.of("-Xmx512m"))).start();
    }

    /**
     * SIGKILLs every trainer or check our servers launched for {@code runs}: the processes whose command line is
     * {@code trainwatch.Main ... --runs <this test's own temporary runs directory>}. Never a pid read from a run's
     * status file, which may name a process this test did not start (a reused pid).
     */
    static void killTrainers(RunStore store) {
        String root = store.root().toAbsolutePath().normalize().toString();
        ProcessHandle.allProcesses().filter(h -> launchedFor(h, root)).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean launchedFor(ProcessHandle h, String root) {
        List<String> args = h.info().arguments().map(List::of).orElse(List.of());
        int runs = args.indexOf("--runs");
        return args.contains("trainwatch.Main") && runs >= 0 && runs + 1 < args.size() && args.get(runs + 1).equals(root);
    }
}
