package trainwatch.http;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.prefixPath;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.javalin.apibuilder.ApiBuilder.staticInstance;
import static io.javalin.apibuilder.ApiBuilder.ws;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.validation.ValidationException;
import io.javalin.websocket.WsHandlerType;

import trainwatch.ingest.IngestException;
import trainwatch.store.Descriptors;
import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RunException;

/**
 * The one factory of the web app: an unstarted Javalin built from its dependencies.
 * All routes, the error mapping (one place) and the static front end are set up here.
 */
public final class HttpApp {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);

    private HttpApp() {}

    /** Counts responses per status code and server faults (tests assert both stayed clean). */
    public static final class ResponseCounts {
        private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        private final AtomicLong internalErrors = new AtomicLong();

        void record(int status) {
            byStatus.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        }

        void internalError() {
            internalErrors.incrementAndGet();
        }

        public long count(int fromInclusive, int toExclusive) {
            return byStatus.entrySet().stream().filter(e -> e.getKey() >= fromInclusive && e.getKey() < toExclusive)
                    .mapToLong(e -> e.getValue().get()).sum();
        }

        /** Server faults answered 500 (routes, WebSocket upgrades and Jetty's own 5xx). */
        public long internalErrors() {
            return internalErrors.get();
        }

        private final AtomicLong unavailable = new AtomicLong();

        /** Requests answered 503 because the process was out of file descriptors (not counted as internal errors). */
        public long unavailable() {
            return unavailable.get();
        }

        private final AtomicLong webSockets = new AtomicLong();
        private final AtomicLong slowClosed = new AtomicLong();

        void webSocketOpened() {
            webSockets.incrementAndGet();
        }

        void webSocketClosed() {
            webSockets.decrementAndGet();
        }

        void slowClientClosed() {
            slowClosed.incrementAndGet();
        }

        /** Live WebSocket connections open now (run streams and the run list). */
        public long webSocketClients() {
            return webSockets.get();
        }

        /** Clients closed with 4008 because they fell too far behind. */
        public long slowClientsClosed() {
            return slowClosed.get();
        }
    }

    /** The app: every route of docs/api.md, the error mapping and the static front end. */
    public static Javalin create(AppServices s) {
        ResponseCounts stats = s.stats;
        RunRoutes rest = new RunRoutes(s.runs);
        RunListRoutes runList = new RunListRoutes(s.runs);
        LiveRoutes live = new LiveRoutes(s.runs, s.hub, s.list, s.hub.limits().pingMs(), stats);
        AuthGuard guard = s.auth == null ? null : new AuthGuard(s.auth);
        List<String> hostNames = s.auth == null ? List.of() : s.auth.hostNames();
        Javalin app = Javalin.create(cfg -> {
            cfg.jetty.host = s.host;
            cfg.jetty.port = s.port;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1_000_000;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            JsonErrorHandler errors = new JsonErrorHandler(stats);
            cfg.jetty.modifyServer(server -> {
                server.setErrorHandler(errors);
                server.insertHandler(new PathGuard());
                server.insertHandler(new HostGuard(s.host, hostNames));
            });
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(LiveRoutes.MAX_FRAME_BYTES);
                ws.setMaxBinaryMessageSize(LiveRoutes.MAX_FRAME_BYTES);
            });
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ServletJsonErrorHandler(stats)));
            staticFiles(cfg, s.webDir);

            if (guard != null) {
                // access rules first (docs/auth.md): one table, checked before every route and WebSocket upgrade
                cfg.routes.before(guard::http);
                cfg.routes.wsBeforeUpgrade(guard::upgrade);
                // and again every second for the sockets already open: a revoked token's live streams end too
                OpenSockets sockets = new OpenSockets(guard);
                cfg.routes.addWsHandler(WsHandlerType.WEBSOCKET_BEFORE, "*", sockets::track);
                cfg.events.serverStarted(sockets::start);
                cfg.events.serverStopping(sockets::stop);
            }
            cfg.routes.apiBuilder(() -> {
                before("/api/*", Csrf::checkStateChange);
                if (s.metrics != null) metricsRoutes(new MetricsRoutes(s.metrics));
                path("/api", () -> {
                    if (guard != null) authRoutes(new AuthRoutes(s.auth));
                    runRoutes(rest, runList, live);
                    if (s.sweeps != null) sweepRoutes(new SweepRoutes(s.sweeps), new SweepLive(s.sweeps, s.hub.limits()));
                    if (s.ensembles != null) ensembleRoutes(new EnsembleRoutes(s.ensembles));
                    if (s.ingest != null) ingestRoutes(new IngestRoutes(s.ingest));
                    if (s.ingest != null && s.checkpoints != null) checkpointRoutes(new CheckpointRoutes(s.ingest, s.checkpoints, s.ensembles));
                    if (s.ensembles != null) evaluationRoutes(new EvaluationRoutes(s.ensembles));
                    checkReportRoutes(new CheckReportRoutes(s.runs, s.remoteChecks));
                    if (s.team != null) teamRoutes(new TeamRoutes(s.team));
                    get("disk", rest::disk);
                    staticInstance().wsBeforeUpgrade(prefixPath("live"), live::beforeListUpgrade);
                    ws("live", live::runList);
                });
            });
            cfg.routes.after(ctx -> stats.record(ctx.statusCode()));
            if (guard != null) cfg.routes.after(guard::audit);

            cfg.routes.exception(RunException.class, (e, ctx) -> error(ctx, e.status(), ErrorBodies.of(e.problems())));
            cfg.routes.exception(IngestException.class, (e, ctx) -> error(ctx, e.status(), IngestRoutes.errorBody(e)));
            cfg.routes.exception(ValidationException.class, (e, ctx) -> error(ctx, 400, ErrorBodies.of(problems(e))));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() >= 500) internal(ctx, stats, e);
                else error(ctx, e.getStatus(), ErrorBodies.of(JsonErrorHandler.describe(e.getStatus(), e.getMessage())));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (Descriptors.exhausted(e)) unavailable(ctx, stats, e);
                else internal(ctx, stats, e);
            });
        });
        if (guard != null) guard.attach(app);
        return app;
    }

    // One method per route group (inside path("/api")): every nested route lambda in the one big
    // apiBuilder lambda is one more level javac attributes speculatively.

    /** /api/runs (docs/api.md "Runs"). */
    private static void runRoutes(RunRoutes rest, RunListRoutes runList, LiveRoutes live) {
        path("runs", () -> {
            get(runList::list);
            post(rest::create);
            post("delete", runList::deleteMany);
            path("{id}", () -> {
                get(rest::get);
                delete(rest::delete);
                post("stop", rest::stop);
                post("archive", runList::archive);
                post("unarchive", runList::unarchive);
                get("scalars", rest::scalars);
                get("filters", rest::filters);
                get("log", rest::log);
                get("alerts", rest::alerts);
                post("checks/{name}", rest::check);
                post("resume", rest::resume);
                get("clock", rest::clock);
                staticInstance().wsBeforeUpgrade(prefixPath("live"), live::beforeRunUpgrade);
                ws("live", live::run);
            });
        });
    }

    /** /api/session, /api/login, /api/logout, /api/tokens, /api/audit (docs/api.md "Authentication"). */
    private static void authRoutes(AuthRoutes a) {
        get("session", a::session);
        post("login", a::login);
        post("logout", a::logout);
        path("tokens", () -> {
            get(a::tokens);
            post(a::createToken);
            delete("{name}", a::revokeToken);
        });
        get("audit", a::audit);
    }

    /** /api/runs/{id}/notes, /tags, /export (docs/api.md "Notes, tags and export"). */
    private static void teamRoutes(TeamRoutes team) {
        path("runs/{id}", () -> {
            get("notes", team::notes);
            post("notes", team::addNote);
            get("tags", team::tags);
            post("tags", team::changeTags);
            get("export", team::export);
        });
    }

    /** /metrics (docs/api.md "Metrics"): Prometheus text format. */
    private static void metricsRoutes(MetricsRoutes m) {
        get("/metrics", m::scrape);
    }

    /** /api/ensembles (docs/api.md "Ensembles"). */
    private static void ensembleRoutes(EnsembleRoutes ensembles) {
        path("ensembles", () -> {
            get(ensembles::list);
            post(ensembles::create);
            path("{id}", () -> {
                get(ensembles::get);
                delete(ensembles::delete);
                get("log", ensembles::log);
            });
        });
    }

    /** /api/ingest (docs/api.md "Ingest"). */
    private static void ingestRoutes(IngestRoutes in) {
        path("ingest/runs", () -> {
            post(in::create);
            post("{id}/records", in::records);
            get("{id}/config", in::config);
        });
    }

    /** /api/ingest/runs/{id}/checkpoints/{name} (docs/api.md "Checkpoints over HTTP"). */
    private static void checkpointRoutes(CheckpointRoutes c) {
        path("ingest/runs/{id}/checkpoints/{name}", () -> {
            put(c::put);
            get(c::get);
        });
    }

    /** /api/ingest/ensembles/{id}/result (docs/api.md "Ensembles"): evaluations running as Kubernetes Jobs. */
    private static void evaluationRoutes(EvaluationRoutes e) {
        post("ingest/ensembles/{id}/result", e::result);
    }

    /** /api/ingest/runs/{id}/checks/{name} (docs/api.md "Checks that report over HTTP"): checks running as Kubernetes Jobs. */
    private static void checkReportRoutes(CheckReportRoutes c) {
        post("ingest/runs/{id}/checks/{name}", c::report);
    }

    /** /api/sweeps (docs/api.md "Sweeps"). */
    private static void sweepRoutes(SweepRoutes rest, SweepLive live) {
        path("sweeps", () -> {
            get(rest::list);
            post(rest::create);
            staticInstance().wsBeforeUpgrade(prefixPath("live"), live::beforeListUpgrade);
            ws("live", live::list);
            path("{id}", () -> {
                get(rest::get);
                delete(rest::delete);
                post("stop", rest::stop);
                post("refine", rest::refine);
                staticInstance().wsBeforeUpgrade(prefixPath("live"), live::beforeUpgrade);
                ws("live", live::sweep);
            });
        });
    }

    /** A server fault: 500 with an id; the id and the stack trace go to the log (never to the caller). */
    private static void internal(Context ctx, ResponseCounts stats, Exception e) {
        String id = Faults.record(stats, ctx.method() + " " + ctx.path(), e);
        error(ctx, 500, ErrorBodies.internal(id));
    }

    /**
     * Out of file descriptors: a moment's condition, not a fault. 503 with Retry-After, counted apart from
     * internal errors, logged once per 1,000 (at the limit it happens on most requests).
     */
    private static void unavailable(Context ctx, ResponseCounts stats, Exception e) {
        if (stats.unavailable.getAndIncrement() % 1000 == 0)
            LOG.warn("{} {}: out of file descriptors, answered 503 ({} so far): {}", ctx.method(), ctx.path(), stats.unavailable(), e.toString());
        ctx.header("Retry-After", String.valueOf(Descriptors.RETRY_AFTER_S));
        error(ctx, 503, ErrorBodies.of("the server is out of file descriptors (too many open files): send the request again in "
                + Descriptors.RETRY_AFTER_S + " s"));
    }

    /** Javalin's query-parameter validation ({@code ctx.queryParamAsClass}): each bad parameter named. */
    private static List<Problem> problems(ValidationException e) {
        List<Problem> out = new ArrayList<>();
        e.getErrors().forEach((field, errs) -> errs.forEach(err -> out.add(new Problem(field,
                err.getMessage().equals("TYPE_CONVERSION_FAILED") ? "must be an integer (got " + Clip.of(String.valueOf(err.value)) + ")"
                        : err.getMessage()))));
        return out;
    }

    private static void error(Context ctx, int status, String body) {
        if (LiveRoutes.isUpgrade(ctx)) {
            // Javalin never writes ctx.result() for a refused WebSocket upgrade: write the body ourselves
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
