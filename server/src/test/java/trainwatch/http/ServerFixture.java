package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import trainwatch.live.LiveLimits;
import trainwatch.run.ChildJvm;
import trainwatch.testkit.StartedProcesses;

/**
 * The one in-process server fixture ({@code @RegisterExtension static final}): started on a
 * fresh runs directory before the first test with {@link #options} plus what the test names;
 * after the last one every process the server launched (trainers, checks) is killed, the
 * server closed, and the class fails if the server answered any 5xx or counted any internal
 * error (a fault caught anywhere: routes, upgrades, Jetty's own 5xx).
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<TrainwatchServer.Options> tweak;
    Path runs;
    TrainwatchServer server;
    Api api;
    private StartedProcesses launched;

    private ServerFixture(UnaryOperator<TrainwatchServer.Options> tweak) {
        this.tweak = tweak;
    }

    /** The tests' defaults: loopback, a free port, one trainer at a time, the given runs directory. */
    static TrainwatchServer.Options options(Path runs) {
        return TrainwatchServer.Options.defaults().withPort(0).withRuns(runs).withMaxParallel(1);
    }

    /** {@link #options} with what this test class changes, e.g. {@code of(o -> o.withWebhook(url))}. */
    static ServerFixture of(UnaryOperator<TrainwatchServer.Options> tweak) {
        return new ServerFixture(tweak);
    }

    /** Real child trainers, one at a time, each with a 512 MB heap. */
    static ServerFixture withTrainers() {
        return of(o -> o.withChildJvmArgs(List.of("-Xmx512m")));
    }

    /** The live hub's buffers and timeouts are the given ones. */
    static ServerFixture withLimits(LiveLimits limits) {
        return of(o -> o.withLimits(limits));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        runs = Files.createTempDirectory("trainwatch-runs-");
        TrainwatchServer.Options o = tweak.apply(options(runs));
        launched = new StartedProcesses(o.launcher() != null ? o.launcher()
                : new ChildJvm(o.runs().toAbsolutePath().normalize(), o.childJvmArgs()));
        server = new TrainwatchServer(o.withLauncher(launched)).start();
        api = new Api(server.port());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            launched.killAll();
            server.supervisor.ownProcesses().forEach(ProcessHandle::destroyForcibly); // jobs too (ensemble evaluations)
            server.close();
        } finally {
            deleteQuietly(runs);
        }
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        assertNoFaults(server);
    }

    /** Every server fault is logged with an id and counted: a test class that caused one fails, naming where to look. */
    static void assertNoFaults(TrainwatchServer server) {
        long n = server.stats.internalErrors();
        if (n != 0) throw new AssertionError(n + " internal error(s) on the server: see \"internal error <id>\" in the log above");
    }

    /** Best effort: a killed trainer may still be letting go of its files. */
    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
