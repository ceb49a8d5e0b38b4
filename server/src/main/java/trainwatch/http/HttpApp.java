package trainwatch.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;

import trainwatch.live.LiveHub;
import trainwatch.live.RunListFeed;
import trainwatch.run.RunException;
import trainwatch.run.RunService;

/**
 * The one factory of the web app: an unstarted Javalin built from its dependencies.
 * All routes, the error mapping (one place) and the static front end are set up here.
 */
public final class HttpApp {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);

    private HttpApp() {}

    /** Counts responses per status code (tests assert that none was a 5xx). */
    public static final class Stats {
        private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();

        void record(int status) {
            byStatus.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        }

        public long count(int fromInclusive, int toExclusive) {
            return byStatus.entrySet().stream().filter(e -> e.getKey() >= fromInclusive && e.getKey() < toExclusive)
                    .mapToLong(e -> e.getValue().get()).sum();
        }
    }

    /** webDir: a directory to serve at / (dev), or null to serve the jar's web/ resources when present. */
    public static Javalin create(String host, int port, Path webDir, RunService runs, LiveHub hub, RunListFeed list, Stats stats) {
        RunRoutes rest = new RunRoutes(runs);
        LiveRoutes live = new LiveRoutes(runs, hub, list);
        return Javalin.create(cfg -> {
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1_000_000;
            JsonErrorHandler errors = new JsonErrorHandler();
            cfg.jetty.modifyServer(server -> {
                server.setErrorHandler(errors);
                server.insertHandler(new PathGuard());
            });
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ServletJsonErrorHandler()));
            staticFiles(cfg, webDir);

            cfg.routes.before("/api/*", Csrf::checkStateChange);
            cfg.routes.get("/api/runs", rest::list);
            cfg.routes.post("/api/runs", rest::create);
            cfg.routes.get("/api/runs/{id}", rest::get);
            cfg.routes.delete("/api/runs/{id}", rest::delete);
            cfg.routes.post("/api/runs/{id}/stop", rest::stop);
            cfg.routes.get("/api/runs/{id}/scalars", rest::scalars);
            cfg.routes.get("/api/runs/{id}/filters", rest::filters);
            cfg.routes.get("/api/runs/{id}/log", rest::log);
            cfg.routes.get("/api/runs/{id}/alerts", rest::alerts);
            cfg.routes.post("/api/runs/{id}/checks/{name}", rest::check);
            cfg.routes.wsBeforeUpgrade("/api/runs/{id}/live", live::beforeRunUpgrade);
            cfg.routes.ws("/api/runs/{id}/live", live::run);
            cfg.routes.wsBeforeUpgrade("/api/live", live::beforeListUpgrade);
            cfg.routes.ws("/api/live", live::runList);
            cfg.routes.after(ctx -> stats.record(ctx.statusCode()));

            cfg.routes.exception(RunException.class, (e, ctx) -> {
                int status = switch (e.kind()) {
                    case NOT_FOUND -> 404;
                    case INVALID -> 400;
                    case CONFLICT -> 409;
                };
                error(ctx, status, ErrorBodies.of(e.problems()));
            });
            cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, ErrorBodies.of(e.problems)));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus() >= 500 ? 400 : e.getStatus();
                error(ctx, status, ErrorBodies.of(JsonErrorHandler.describe(e.getStatus(), e.getMessage())));
            });
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, ErrorBodies.of(String.valueOf(e.getMessage()))));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // A server-side failure (e.g. a run's files unreadable at this instant): logged here, never a 5xx or a trace for the caller.
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 409, ErrorBodies.of("could not complete the request: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")));
            });
        });
    }

    private static void error(io.javalin.http.Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static void staticFiles(io.javalin.config.JavalinConfig cfg, Path webDir) {
        if (webDir != null && Files.isDirectory(webDir)) {
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = webDir.toAbsolutePath().toString();
                sf.location = Location.EXTERNAL;
            });
        } else if (HttpApp.class.getClassLoader().getResource("web") != null) {
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
        }
    }
}
