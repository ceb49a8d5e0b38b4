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
import trainwatch.store.RunNotFoundException;

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
        RunListRoutes runList = new RunListRoutes(runs);
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
                if (HostGuard.boundToLoopback(host)) server.insertHandler(new HostGuard());
            });
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(LiveRoutes.MAX_FRAME_BYTES);
                ws.setMaxBinaryMessageSize(LiveRoutes.MAX_FRAME_BYTES);
            });
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ServletJsonErrorHandler()));
            staticFiles(cfg, webDir);

            cfg.routes.before("/api/*", Csrf::checkStateChange);
            cfg.routes.get("/api/runs", runList::list);
            cfg.routes.post("/api/runs/delete", runList::deleteMany);
            cfg.routes.post("/api/runs/{id}/archive", runList::archive);
            cfg.routes.post("/api/runs/{id}/unarchive", runList::unarchive);
            cfg.routes.post("/api/runs", rest::create);
            cfg.routes.get("/api/runs/{id}", rest::get);
            cfg.routes.delete("/api/runs/{id}", rest::delete);
            cfg.routes.post("/api/runs/{id}/stop", rest::stop);
            cfg.routes.get("/api/runs/{id}/scalars", rest::scalars);
            cfg.routes.get("/api/runs/{id}/clock", rest::clock);
            cfg.routes.get("/api/runs/{id}/filters", rest::filters);
            cfg.routes.get("/api/runs/{id}/log", rest::log);
            cfg.routes.get("/api/runs/{id}/alerts", rest::alerts);
            cfg.routes.post("/api/runs/{id}/checks/{name}", rest::check);
            cfg.routes.post("/api/runs/{id}/resume", rest::resume);
            cfg.routes.get("/api/disk", rest::disk);
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
                    case INSUFFICIENT_STORAGE -> 507;
                };
                error(ctx, status, ErrorBodies.of(e.problems()));
            });
            cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, ErrorBodies.of(e.problems)));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus() >= 500 ? 400 : e.getStatus();
                error(ctx, status, ErrorBodies.of(JsonErrorHandler.describe(e.getStatus(), e.getMessage())));
            });
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, ErrorBodies.of(String.valueOf(e.getMessage()))));
            cfg.routes.exception(RunNotFoundException.class, (e, ctx) -> error(ctx, 404, ErrorBodies.of(e.getMessage()))); // deleted meanwhile
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // A server-side failure (e.g. a run's files damaged): the details (class, paths) go to the server's log only,
                // the caller gets a 4xx that names no class or path (never a 5xx or a trace).
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 409, ErrorBodies.of("could not complete the request: something on the server side failed"
                        + " (the reason is in the server's log)"));
            });
        });
    }

    private static void error(io.javalin.http.Context ctx, int status, String body) {
        if (LiveRoutes.isUpgrade(ctx)) {
            // Javalin never writes ctx.result() for a refused WebSocket upgrade: write the body ourselves
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var res = ctx.res();
            res.setStatus(status);
            res.setContentType("application/json;charset=utf-8");
            res.setContentLength(bytes.length);
            try {
                res.getOutputStream().write(bytes);
            } catch (java.io.IOException e) {
                LOG.debug("could not answer a refused upgrade: {}", e.toString());
            }
            return;
        }
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
