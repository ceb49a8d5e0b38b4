package trainwatch.ensemble;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.FieldError;
import trainwatch.config.StoredConfig;
import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RunDetail;
import trainwatch.run.RunException;
import trainwatch.run.RunService;
import trainwatch.run.Supervisor;

/**
 * The server's side of ensembles (no ND4J): validates a request, resolves its members (starting
 * the runs of a seeds ensemble), keeps spec and status under runs/.ensembles/, waits for member
 * runs to finish, and hands each evaluation to the supervisor as a job: it takes a --max-parallel
 * slot like a trainer and waits its turn in the same queue, then runs as its own process
 * ({@code ensemble --eval ID}) whose output goes to eval.log. Deleting a running ensemble ends its
 * process first. Everything is on disk, so a restarted server picks up waiting and queued
 * ensembles where they were.
 */
public final class EnsembleService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleService.class);
    static final long TICK_MS = 500;
    /** How long a delete waits for a killed evaluation process to exit. */
    static final long STOP_WAIT_MS = 10_000;

    /** Top-k trials of a sweep as run ids, best first; null when sweeps are not available. */
    public interface SweepTop {
        List<String> top(String sweepId, int k);
    }

    private final EnsembleFiles files;
    private final RunService runs;
    private final Function<List<String>, List<String>> command;
    private final Clock clock;
    private final Supervisor slots;
    /** Evaluations this server started (put by the supervisor's thread when their turn comes). */
    private final Map<String, Process> launched = new ConcurrentHashMap<>();
    /** Queued ensembles handed to the supervisor. */
    private final Set<String> submitted = new HashSet<>();
    private volatile SweepTop sweeps;
    /** Set when evaluations run elsewhere (the kubernetes executor's Jobs), else they are child JVMs here. */
    private volatile EvaluationsElsewhere elsewhere;
    private ScheduledExecutorService ticker;

    /** {@code command}: the child JVM command line for main arguments (ChildJvm::command); {@code slots}: the run supervisor. */
    public EnsembleService(Path runsRoot, RunService runs, Supervisor slots, Function<List<String>, List<String>> command, Clock clock) {
        this.files = new EnsembleFiles(runsRoot);
        this.runs = runs;
        this.slots = slots;
        this.command = command;
        this.clock = clock;
    }

    public void useSweeps(SweepTop top) {
        this.sweeps = top;
    }

    /** Evaluations run as Jobs of the executor instead of child JVMs here (null: here). */
    public void useRemote(trainwatch.run.RemoteEvaluations r) {
        this.elsewhere = r == null ? null : new EvaluationsElsewhere(files, r, clock);
    }

    /** An evaluation elsewhere reports (POST /api/ingest/ensembles/{id}/result): running, finished with its result, or failed. */
    public EvaluationsElsewhere.Reported report(String id, String authorization, boolean trusted, byte[] body) {
        EvaluationsElsewhere e = elsewhere;
        if (e == null) {
            if (!trusted && (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)))
                throw RunException.of(RunException.Kind.UNAUTHORIZED, "Authorization", "is required: \"Bearer <the evaluation's key>\"");
            if (!trusted) throw RunException.of(RunException.Kind.FORBIDDEN, "Authorization", "no evaluation of this server runs elsewhere");
            throw RunException.notFound("ensemble evaluations run on this server: nothing reports here");
        }
        return e.report(id, authorization, trusted, body);
    }

    /** Whether {@code key} is a live evaluation's, one of whose members is run {@code runId} (it may read its checkpoints). */
    public boolean evaluationReads(String key, String runId) {
        EvaluationsElsewhere e = elsewhere;
        return e != null && e.readsCheckpoints(key, runId);
    }

    public EnsembleFiles files() {
        return files;
    }

    public synchronized void start() {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ensembles");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        ticker = null;
    }

    public EnsembleViews.Created create(String body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw RunException.invalid("", "the body is not valid JSON");
        }
        EnsembleRequest req = EnsembleRequest.parse(tree);
        Path root = files.runsRoot();
        List<MemberRef> members;
        List<String> started = List.of();
        boolean waiting = false;
        switch (req.kind()) {
            case "runs" -> members = req.members();
            case "run" -> members = Members.lastOf(root, req.run(), req.last());
            case "sweep" -> {
                SweepTop s = sweeps;
                if (s == null) throw RunException.invalid("sweep", "sweeps are not available on this server");
                List<String> top = s.top(req.sweep(), req.top());
                if (top.isEmpty()) throw RunException.invalid("sweep", "sweep " + req.sweep() + " has no finished trial yet");
                members = top.stream().map(r -> new MemberRef(r, MemberRef.FINAL)).toList();
            }
            default -> {
                List<String> configs = seedConfigs(req);
                started = new ArrayList<>();
                for (String c : configs) started.add(runs.create(c));
                members = started.stream().map(r -> new MemberRef(r, MemberRef.FINAL)).toList();
                waiting = true;
            }
        }
        Members.resolve(root, members, !waiting); // refuses a missing run, a dataset mismatch or a missing checkpoint
        long now = clock.millis();
        String id = files.newId(now);
        String name = req.name() != null && !req.name().isBlank() ? req.name() : defaultName(req, members);
        EnsembleSpec.Source source = new EnsembleSpec.Source(req.kind(), req.run(), req.sweep(),
                req.kind().equals("run") ? req.last() : req.kind().equals("sweep") ? req.top() : req.kind().equals("seeds") ? req.seeds() : null);
        EnsembleSpec spec = new EnsembleSpec(id, name, now, source, members, req.averaging());
        files.create(spec, new EnsembleState(waiting ? EnsembleState.WAITING : EnsembleState.QUEUED, "", 0, now));
        tickSafely();
        return new EnsembleViews.Created(id, files.state(id).resolved().status(), members.stream().map(MemberRef::toString).toList(), started);
    }

    public List<EnsembleViews.Summary> list() {
        List<EnsembleViews.Summary> out = new ArrayList<>();
        for (String id : files.ids()) {
            try {
                EnsembleSpec spec = files.spec(id);
                EnsembleState st = state(id);
                JsonNode r = st.status().equals(EnsembleState.FINISHED) ? files.result(id).orElse(null) : null;
                out.add(new EnsembleViews.Summary(id, spec.name(), st.status(), st.reason(), spec.created(), spec.source().kind(),
                        spec.members().size(), r == null ? null : r.path("dataset").asText(null), num(r, "ensemble", "val_acc"),
                        num(r, null, "mean_member_val_acc"), num(r, null, "best_member_val_acc")));
            } catch (RuntimeException e) {
                LOG.warn("ensemble {}: unreadable, left out of the list: {}", id, e.toString());
            }
        }
        return out;
    }

    public EnsembleViews.Detail get(String id) {
        require(id);
        EnsembleSpec spec = files.spec(id);
        EnsembleState st = state(id);
        List<EnsembleViews.MemberView> members = new ArrayList<>();
        for (MemberRef m : spec.members()) members.add(new EnsembleViews.MemberView(m.run(), m.checkpoint(), runStatus(m.run())));
        JsonNode result = st.status().equals(EnsembleState.FINISHED) ? files.result(id).orElse(null) : null;
        return new EnsembleViews.Detail(id, spec.name(), st.status(), st.reason(), spec.created(), spec.source(), members,
                spec.averageParams(), Files.isRegularFile(files.log(id)), result);
    }

    /** The evaluation process's output (for a failed evaluation). */
    public String log(String id) {
        require(id);
        try {
            byte[] b = Files.readAllBytes(files.log(id));
            int from = Math.max(0, b.length - 64 * 1024);
            return new String(b, from, b.length - from, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw RunException.notFound("ensemble " + id + " has no evaluation log yet");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Deletes an ensemble's files; a queued one leaves the queue and a running evaluation is ended first
     * (its result would be worthless). Member runs are left alone.
     */
    public synchronized void delete(String id) {
        require(id);
        submitted.remove(id);
        if (elsewhere != null) elsewhere.remote().delete(id); // its Job goes (and its pod with it)
        Process started = slots.cancelJob(jobKey(id));
        Process mine = launched.remove(id);
        ProcessHandle h = mine != null ? mine.toHandle() : started != null ? started.toHandle() : evaluationOf(id);
        if (h != null && h.isAlive()) {
            h.destroyForcibly();
            try {
                h.onExit().get(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                throw RunException.conflict("ensemble " + id + ": its evaluation process " + h.pid() + " has not exited yet: try again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RunException.conflict("ensemble " + id + ": interrupted while ending its evaluation: try again");
            }
        }
        files.delete(id);
    }

    /** The live evaluation process of an ensemble this server did not start (a previous server did): its pid, if it is really ours. */
    private ProcessHandle evaluationOf(String id) {
        EnsembleState s = files.state(id);
        if (!s.status().equals(EnsembleState.RUNNING) || s.pid() <= 0) return null;
        return ProcessHandle.of(s.pid()).filter(h -> {
            ProcessHandle.Info info = h.info();
            String line = info.commandLine().orElse(String.join(" ", info.arguments().orElse(new String[0])));
            return line.contains("--eval") && line.contains(id); // a reused pid is someone else's process
        }).orElse(null);
    }

    static String jobKey(String id) {
        return "ensemble:" + id;
    }

    private void require(String id) {
        if (!files.exists(id)) throw RunException.notFound("no ensemble " + id);
    }

    /** The status on disk, with a vanished evaluation read as failed. */
    EnsembleState state(String id) {
        return files.state(id).resolved();
    }

    private String runStatus(String run) {
        try {
            return runs.get(run).status();
        } catch (RunException e) {
            return "deleted";
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("ensemble tick failed", e);
        }
    }

    /** Waiting ensembles whose member runs are done become queued (or failed); queued ones go to the supervisor's queue, oldest first. */
    synchronized void tick() {
        launched.values().removeIf(p -> !p.isAlive());
        List<String> ids = files.ids();
        submitted.retainAll(new HashSet<>(ids));
        for (int i = ids.size() - 1; i >= 0; i--) { // oldest first
            String id = ids.get(i);
            if (files.state(id).status().equals(EnsembleState.WAITING)) checkMembers(id);
            EvaluationsElsewhere e = elsewhere;
            if (files.state(id).status().equals(EnsembleState.QUEUED) && submitted.add(id)) {
                if (e != null) startElsewhere(e, id);
                else slots.submitJob(jobKey(id), () -> launch(id));
            }
            if (e != null && submitted.contains(id) && !files.state(id).isFinal()) {
                String failure = e.remote().failure(id); // its Job ended without a report (failed, evicted, OOM-killed, deleted)
                if (failure != null) files.writeState(id, new EnsembleState(EnsembleState.FAILED, failure, 0, clock.millis()));
            }
        }
    }

    private void startElsewhere(EvaluationsElsewhere e, String id) {
        try {
            e.start(id);
        } catch (RunException ex) { // a member or its checkpoint is gone since the ensemble was created
            String reason = ex.problems().isEmpty() ? ex.getMessage() : ex.problems().get(0).field() + ": " + ex.problems().get(0).message();
            files.writeState(id, new EnsembleState(EnsembleState.FAILED, reason, 0, clock.millis()));
        }
    }

    private void checkMembers(String id) {
        EnsembleSpec spec = files.spec(id);
        for (MemberRef m : spec.members()) {
            String status;
            String reason = "";
            try {
                RunDetail d = runs.get(m.run());
                status = d.status();
                reason = d.reason();
            } catch (RunException e) {
                status = "deleted";
            }
            if (status.equals("queued") || status.equals("running")) return;
            if (!status.equals("finished")) {
                files.writeState(id, new EnsembleState(EnsembleState.FAILED, "member run " + m.run() + " ended " + status
                        + (reason == null || reason.isEmpty() ? "" : ": " + reason), 0, clock.millis()));
                return;
            }
        }
        files.writeState(id, new EnsembleState(EnsembleState.QUEUED, "", 0, clock.millis()));
    }

    /** Called by the supervisor when the evaluation's turn comes (under its lock: takes none of ours). */
    private Process launch(String id) {
        if (!files.exists(id) || !files.state(id).status().equals(EnsembleState.QUEUED)) return null; // deleted meanwhile
        Path log = files.log(id);
        ProcessBuilder pb = new ProcessBuilder(command.apply(List.of("ensemble", "--eval", id, "--runs", files.runsRoot().toString())))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")));
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        try {
            Process p = pb.start();
            launched.put(id, p);
            // the child writes running with its pid; until then a crash before that is seen here
            p.onExit().thenAccept(done -> onExit(id, done.exitValue()));
            return p;
        } catch (IOException e) {
            LOG.warn("ensemble {}: could not start the evaluation", id, e);
            files.writeState(id, new EnsembleState(EnsembleState.FAILED, "could not start the evaluation process", 0, clock.millis()));
            return null;
        }
    }

    private synchronized void onExit(String id, int code) {
        if (!files.exists(id)) return;
        EnsembleState s = files.state(id);
        if (!s.isFinal())
            files.writeState(id, new EnsembleState(EnsembleState.FAILED, "the evaluation process exited with code " + code
                    + " without a result (see its log)", s.pid(), clock.millis()));
    }

    /** The seeds' run configs: the run's (seeds base+1..base+N) or the given one (seeds base..base+N-1), named by seed. */
    private List<String> seedConfigs(EnsembleRequest req) {
        ObjectNode base;
        long first;
        String fieldPrefix;
        if (req.run() != null) {
            RunDetail d;
            try {
                d = runs.get(req.run());
            } catch (RunException e) {
                if (e.kind() != RunException.Kind.NOT_FOUND) throw e;
                throw RunException.invalid("run", "no run " + req.run());
            }
            if (d.config() == null || !d.config().isObject()) throw RunException.invalid("run", "run " + req.run() + " has no readable config");
            String no = StoredConfig.refusal(d.config(), "repeating it with seeds");
            if (no != null) throw RunException.invalid("run", "run " + req.run() + " is " + no);
            base = StoredConfig.trainerPart((ObjectNode) d.config()); // a remote run trained by `train --remote` too
            first = base.path("seed").asLong(42) + 1;
            fieldPrefix = "run";
        } else {
            base = (ObjectNode) req.config().deepCopy();
            first = base.path("seed").asLong(42);
            fieldPrefix = "config";
        }
        String baseName;
        try {
            baseName = ConfigParser.parse(base.toString()).name();
        } catch (ConfigException e) {
            List<Problem> problems = new ArrayList<>();
            for (FieldError fe : e.errors())
                problems.add(new Problem(fe.field().isEmpty() ? fieldPrefix : fieldPrefix + "." + fe.field(), fe.message()));
            throw RunException.invalid(problems);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < req.seeds(); i++) {
            ObjectNode c = base.deepCopy();
            long seed = first + i;
            c.put("seed", seed);
            c.put("name", clip(baseName + " seed " + seed));
            out.add(c.toString());
        }
        return out;
    }

    private static String clip(String name) {
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private static String defaultName(EnsembleRequest req, List<MemberRef> members) {
        return switch (req.kind()) {
            case "run" -> "last " + members.size() + " checkpoints of " + req.run();
            case "sweep" -> "top " + members.size() + " of sweep " + req.sweep();
            case "seeds" -> req.seeds() + " seeds" + (req.run() != null ? " of " + req.run() : "");
            default -> members.size() + " members";
        };
    }

    private static Double num(JsonNode r, String object, String key) {
        if (r == null) return null;
        JsonNode n = object == null ? r.get(key) : r.path(object).get(key);
        return n != null && n.isNumber() ? n.asDouble() : null;
    }
}
