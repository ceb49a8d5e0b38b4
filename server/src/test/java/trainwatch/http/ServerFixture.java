package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import trainwatch.live.LiveLimits;

/**
 * One in-process server per test class ({@code @RegisterExtension static final}): started on a
 * fresh runs directory before the first test; after the last one every trainer it left is
 * killed, the server closed, and the class fails if the server answered any 5xx or counted any
 * internal error (a fault caught anywhere: routes, upgrades, Jetty's own 5xx).
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback {
    private interface Starter {
        TrainwatchServer start(Path runs) throws Exception;
    }

    private final Starter starter;
    Path runs;
    TrainwatchServer server;
    Api api;

    private ServerFixture(Starter starter) {
        this.starter = starter;
    }

    /** Real child trainers, one at a time (--max-parallel 1). */
    static ServerFixture withTrainers() {
        return new ServerFixture(runs -> Servers.start(runs, 1));
    }

    /** No trainers needed; the live hub's buffers and timeouts are the given ones. */
    static ServerFixture withLimits(LiveLimits limits) {
        return new ServerFixture(runs -> new TrainwatchServer(
                new TrainwatchServer.Options("127.0.0.1", 0, runs, 1, null, null, null, limits, 10_000, List.of())).start());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        runs = Files.createTempDirectory("trainwatch-runs-");
        server = starter.start(runs);
        api = new Api(server.port());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            Servers.killTrainers(server.store);
            server.close();
        } finally {
            deleteQuietly(runs);
        }
        Api.assertNo5xx();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
        Servers.assertNoFaults(server);
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
