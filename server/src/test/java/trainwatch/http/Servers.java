package trainwatch.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import trainwatch.store.RunState;
import trainwatch.store.RunStore;

/** Starting in-process servers for the tests, and making sure no trainer outlives them. */
final class Servers {
    private Servers() {}

    static TrainwatchServer start(Path runs, int maxParallel) throws Exception {
        return new TrainwatchServer(new TrainwatchServer.Options("127.0.0.1", 0, runs, maxParallel, null, null, null, null, 10_000,
                List.of("-Xmx512m"))).start();
    }

    /** Every server fault is logged with an id and counted: a test class that caused one fails, naming where to look. */
    static void assertNoFaults(TrainwatchServer server) {
        long n = server.stats.internalErrors();
        if (n != 0) throw new AssertionError(n + " internal error(s) on the server: see \"internal error <id>\" in the log above");
    }

    /** SIGKILLs every trainer still holding a run under {@code runs} (its pid is in status.json). */
    static void killTrainers(RunStore store) {
        if (!Files.isDirectory(store.root())) return;
        for (String id : store.ids()) {
            try {
                RunState s = store.state(id);
                if (s.pid() > 0) ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
            } catch (RuntimeException ignored) {
                // a run without a readable status has no trainer to kill
            }
        }
    }
}
