package trainwatch.http;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import io.javalin.Javalin;

import trainwatch.auth.AuthService;
import trainwatch.auth.AuthSettings;
import trainwatch.auth.Authenticator;
import trainwatch.ensemble.EnsembleService;
import trainwatch.ingest.IngestLimits;
import trainwatch.ingest.IngestService;
import trainwatch.live.AlertSink;
import trainwatch.live.AlertWebhook;
import trainwatch.live.LiveHub;
import trainwatch.live.LiveLimits;
import trainwatch.live.RunListFeed;
import trainwatch.metrics.ServerMetrics;
import trainwatch.run.ChildJvm;
import trainwatch.run.Executor;
import trainwatch.run.ExecutorFactory;
import trainwatch.run.Launcher;
import trainwatch.run.ReaderPool;
import trainwatch.run.RunIndex;
import trainwatch.run.RunService;
import trainwatch.run.Supervisor;
import trainwatch.store.RunStore;
import trainwatch.sweep.StoreTrials;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepStore;
import trainwatch.team.Note;
import trainwatch.team.TeamService;

/** Wires store, supervisor, runs service, live hub and web app together; `serve` and the tests start it the same way. */
public final class TrainwatchServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainwatchServer.class);
    /**
     * launcher null = child JVMs of this class path; webhook null = none; webDir null = the jar's web/.
     * Build from {@link #defaults()} and name what differs: {@code defaults().withPort(0).withRuns(dir)}.
     */
    public record Options(String host, int port, Path runs, int maxParallel, URI webhook, Path webDir, Launcher launcher,
                          LiveLimits limits, long stopTimeoutMs, List<String> childJvmArgs, Clock clock, ExecutorFactory executor) {
        public Options {
            if (limits == null) limits = LiveLimits.DEFAULT;
            if (childJvmArgs == null) childJvmArgs = List.of();
            if (clock == null) clock = Clock.systemUTC();
        }

        /** The positional form, for callers written before {@link #defaults()}; prefer the withers. */
        public Options(String host, int port, Path runs, int maxParallel, URI webhook, Path webDir, Launcher launcher,
                       LiveLimits limits, long stopTimeoutMs, List<String> childJvmArgs) {
            this(host, port, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, null, null);
        }

        /** What `serve` uses with no options: loopback:7070, ./runs, half the cores for trainers, 10 s to stop. */
        public static Options defaults() {
            return new Options("127.0.0.1", 7070, Path.of("runs"), Math.max(1, Runtime.getRuntime().availableProcessors() / 2), null,
                    null, null, LiveLimits.DEFAULT, 10_000, List.of(), Clock.systemUTC(), null);
        }

        public static Options defaults(Path runs) {
            return defaults().withRuns(runs);
        }

        public Options withHost(String v) {
            return new Options(v, port, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withPort(int v) {
            return new Options(host, v, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withRuns(Path v) {
            return new Options(host, port, v, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withMaxParallel(int v) {
            return new Options(host, port, runs, v, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withWebhook(URI v) {
            return new Options(host, port, runs, maxParallel, v, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withWebDir(Path v) {
            return new Options(host, port, runs, maxParallel, webhook, v, launcher, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withLauncher(Launcher v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, v, limits, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withLimits(LiveLimits v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, launcher, v, stopTimeoutMs, childJvmArgs, clock, executor);
        }

        public Options withStopTimeoutMs(long v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, launcher, limits, v, childJvmArgs, clock, executor);
        }

        public Options withChildJvmArgs(List<String> v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, v, clock, executor);
        }

        /** Every component's time (store, supervisor, live hub) comes from this clock. */
        public Options withClock(Clock v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, v, executor);
        }

        /** The executor `serve --executor` names; null = local (child JVMs through the supervisor). */
        public Options withExecutor(ExecutorFactory v) {
            return new Options(host, port, runs, maxParallel, webhook, webDir, launcher, limits, stopTimeoutMs, childJvmArgs, clock, v);
        }
    }

    /**
     * How often the run index polls runs/ for changes made by other processes (a trainer's status.json, a run
     * trained from the CLI): those reach /api/live within about this. Changes the server makes itself are pushed
     * at once. A tick with nothing new costs a stat of runs/ and of each live run's status.json, whatever the
     * number of finished runs; live runs' progress is re-read every RunIndex.PROGRESS_MS.
     */
    static final long LIST_TICK_MS = 100;

    public final RunStore store;
    /** The local executor (child JVMs): every run's when no other executor is chosen, and every check's. */
    public final Supervisor supervisor;
    /** Where runs and sweep trials are started: {@link #supervisor}, or the executor `serve --executor` chose. */
    public final Executor executor;
    public final RunService runs;
    public final LiveHub hub;
    public final RunListFeed list;
    public final HttpApp.ResponseCounts stats = new HttpApp.ResponseCounts();
    public final ReaderPool readers;
    public final RunIndex index;
    /** Sweeps (docs/sweeps.md): the routes call this facade. */
    public final SweepService sweeps;
    public final IngestService ingest;
    /** Checkpoints sent by trainers elsewhere (docs/api.md "Checkpoints over HTTP"). */
    public final trainwatch.checkpoint.CheckpointStore checkpoints;
    public final EnsembleService ensembles;
    /** Notes, tags and exports (docs/export.md). */
    public final TeamService team;
    /** /metrics: another executor adds its name through {@link ServerMetrics#executorOf} and {@link ServerMetrics#runStarted}. */
    public final ServerMetrics metrics;
    private final Javalin app;

    /** The auth layer (docs/auth.md): tokens, sessions, audit log. */
    public final AuthService auth;

    /** A server with the default auth settings: tokens when they exist; loopback without tokens is open, as before. */
    public TrainwatchServer(Options o) throws java.io.IOException {
        this(o, AuthSettings.defaults());
    }

    /** Refuses (IllegalStateException) to listen beyond loopback with neither tokens nor --no-auth. */
    public TrainwatchServer(Options o, AuthSettings authSettings) throws java.io.IOException {
        Files.createDirectories(o.runs());
        boolean loopback = HostGuard.boundToLoopback(o.host());
        auth = AuthService.create(o.runs().toAbsolutePath().normalize(), authSettings, loopback, o.clock());
        String refusal = Authenticator.startRefusal(loopback, authSettings, auth.tokens());
        if (refusal != null) throw new IllegalStateException(refusal);
        Clock clock = o.clock();
        store = new RunStore(o.runs().toAbsolutePath().normalize(), clock);
        Launcher launcher = o.launcher() != null ? o.launcher() : new ChildJvm(store.root(), o.childJvmArgs());
        supervisor = new Supervisor(store, launcher, clock, o.maxParallel(), o.stopTimeoutMs());
        executor = o.executor() == null ? supervisor : o.executor().create(store, supervisor, clock);
        readers = new ReaderPool(store);
        index = new RunIndex(store, readers, clock);
        runs = new RunService(store, readers, index, executor);
        supervisor.shownStatus(id -> readers.with(id, r -> store.state(id).orNewerLogged(r.statusHistory())).status());
        AlertSink alerts = o.webhook() == null ? AlertSink.NONE : new AlertWebhook(o.webhook());
        hub = new LiveHub(store::reader, o.limits(), alerts, clock);
        runs.onDelete(hub::forget);
        sweeps = new SweepService(new SweepStore(store.root(), clock), new StoreTrials(store, executor, readers::with, index::touch, runs::delete),
                clock, trainwatch.config.DatasetCatalog.dataDir());
        ingest = new IngestService(store, index, clock, IngestLimits.DEFAULT);
        checkpoints = new trainwatch.checkpoint.CheckpointStore(store);
        supervisor.remoteRuns(ingest);
        ingest.onAppended(id -> { // the server writes remote runs itself: streamed and listed at once, no polling
            hub.nudge(id);
            index.appended(id);
        });
        index.sharedReaders(hub::reader); // the hub keeps a reader of every live run open: the index opens none of its own
        if (executor != supervisor) executor.remoteRuns(ingest);
        runs.onDelete(ingest::forget);
        list = new RunListFeed(index, hub::watch, o.limits());
        supervisor.onStatusChange(list::reread); // statuses it writes and trainers it sees exit: listed at once
        if (executor != supervisor) executor.onStatusChange(list::reread);
        ensembles = new EnsembleService(store.root(), runs, supervisor, new ChildJvm(store.root(), o.childJvmArgs())::command, clock);
        ensembles.useRemote(executor.evaluations()); // null on the local executor: child JVMs here, as before
        ensembles.useSweeps((sweep, k) -> trainwatch.ensemble.SweepMembers.top(sweeps, sweep, k));
        team = new TeamService(store, runs, index, clock);
        team.onNote((id, note) -> hub.send(id, new Note.Message(note))); // open run pages show it at once
        metrics = metrics(index, supervisor, executor, ingest, stats);
        app = HttpApp.create(new AppServices(o.host(), o.port(), o.webDir(), runs, hub, list, stats)
                .ingest(ingest).ensembles(ensembles).sweeps(sweeps).team(team).auth(auth).metrics(metrics)
                .remoteChecks(executor.remoteChecks()).checkpoints(checkpoints));
    }

    /** Listens, then recovers the runs on disk (re-attach / interrupted / re-queue) and checks the run index in the background. */
    public TrainwatchServer start() {
        index.load();
        hub.start();
        list.start(LIST_TICK_MS);
        app.start(); // answers first: with thousands of runs, recovery reads every status.json
        index.scanInBackground(); // the list fills in while the server already answers
        finishInterruptedDeletes();
        ingest.start(); // before the supervisor's first look: remote runs are known as such
        if (executor == supervisor) {
            supervisor.start();
        } else {
            supervisor.watch(); // checks only: queued runs are the other executor's to start
            executor.start();
        }
        sweeps.start(SweepService.TICK_MS); // after the supervisor: running sweeps continue with their trial runs recovered
        ensembles.start();
        return this;
    }

    /** Run and sweep directories a crash or a lack of descriptors left half-deleted: removed in the background. */
    private void finishInterruptedDeletes() {
        Thread t = new Thread(() -> {
            int n = RunStore.removeInterruptedDeletes(store.root()) + RunStore.removeInterruptedDeletes(store.root().resolve(SweepStore.DIR));
            if (n > 0) LOG.info("finished {} interrupted deletes", n);
        }, "trainwatch-leftovers");
        t.setDaemon(true);
        t.start();
    }

    /** What /metrics reads: runs from the index, starts from the supervisor and the ingest service, the web app's counts. */
    private static ServerMetrics metrics(RunIndex index, Supervisor supervisor, Executor executor, IngestService ingest,
                                         HttpApp.ResponseCounts stats) {
        ServerMetrics m = new ServerMetrics(index::entries);
        supervisor.onTrainerStart(id -> m.runStarted(ServerMetrics.LOCAL));
        ingest.onCreated(id -> m.runStarted(ServerMetrics.REMOTE));
        if (executor != supervisor) {
            // another executor's runs are launched here (no "remote" origin) but written through the ingest service
            var fallback = m.executorOf();
            m.executorOf(e -> e.remote() == null && ingest.owns(e.id()) ? executor.name() : fallback.apply(e));
            ingest.onAdopted(id -> m.runStarted(executor.name()));
        }
        m.counter("trainwatch.ingest.rows", "Scalars rows stored from remote trainers (rate() = rows per second)", ingest::rowsStored);
        m.counter("trainwatch.ingest.records", "Records of every type stored from remote trainers", ingest::recordsStored);
        m.counter("trainwatch.ingest.batches", "Ingest batches that stored records", ingest::batchesStored);
        m.gauge("trainwatch.websocket.clients", "Open live WebSocket connections (run streams and the run list)", stats::webSocketClients);
        m.counter("trainwatch.websocket.slow.closed", "Live clients closed with 4008 because they fell too far behind", stats::slowClientsClosed);
        m.counter("trainwatch.http.internal.errors", "Server faults answered 500 (each logged with its id)", stats::internalErrors);
        m.counter("trainwatch.http.unavailable", "Requests answered 503 with Retry-After: the process was out of file descriptors", stats::unavailable);
        for (int c = 1; c <= 5; c++) {
            int from = c * 100;
            m.counter("trainwatch.http.responses", "HTTP responses by status class", () -> stats.count(from, from + 100), "status", c + "xx");
        }
        return m;
    }

    /** The sweep facade, for the sweep routes. */
    public SweepService sweeps() {
        return sweeps;
    }

    /**
     * The app's own route table as "METHOD /route/{param}" ("WS /api/live" for WebSockets), from Javalin's
     * router: what AccessMatrixTest checks against the access rules.
     */
    public List<String> routes() {
        List<String> out = new java.util.ArrayList<>();
        for (var p : app.unsafe.internalRouter.allHttpHandlers()) {
            if (p.endpoint.method.isHttpMethod()) out.add(p.endpoint.method.name() + " " + p.endpoint.path);
        }
        for (var w : app.unsafe.internalRouter.allWsHandlers()) {
            if (w.getType() == io.javalin.websocket.WsHandlerType.WEBSOCKET) out.add(trainwatch.auth.AccessRules.WS + " " + w.getPath());
        }
        return out;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        sweeps.close();
        app.stop();
        metrics.close();
        ensembles.close();
        list.close();
        hub.close();
        ingest.close();
        if (executor != supervisor) executor.close();
        supervisor.close();
        index.close();
        readers.close();
    }
}
