package trainwatch.ingest;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RemoteOrigin;
import trainwatch.run.RemoteRuns;
import trainwatch.run.RunException;
import trainwatch.run.RunIndex;
import trainwatch.store.Descriptors;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunBusyException;
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;

/**
 * Runs trained elsewhere, written by this server (docs/api.md "Ingest"): the server is the single
 * writer of a remote run's directory, through the store's RunWriter, so records, seq, status and
 * crash safety are those of a launched run and the live hub streams it the same way. Delivery is
 * exactly once: record i of a batch has client seq first + i; what is stored already is acknowledged
 * and skipped, a gap is refused with the seq expected, and a kill -9 at any instant loses nothing and
 * duplicates nothing (IngestFile). A run whose trainer stays silent for the idle timeout reads
 * {@code interrupted} and returns to {@code running} when it sends again.
 */
public final class IngestService implements RemoteRuns, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 4096;
    static final double INITIAL_LOSS_TOLERANCE = 0.25;
    static final int MAX_ORIGIN = 200;
    /** Alert kinds the server computes on a remote run's scalars (a trainer that computes them too should not send them). */
    public static final List<String> SERVER_ALERT_KINDS = ServerAlerts.KINDS;

    /** 201 answer of POST /api/ingest/runs: the key is shown this once. */
    public record Created(String id, String key) {}

    /** Answer of POST /api/ingest/runs/{id}/records: the next seq to send; stop = someone asked the run to stop. */
    public record Ack(long next, boolean stop) {}

    private final RunStore store;
    private final RunIndex index;
    private final Clock clock;
    private volatile IngestLimits limits;
    /** Runs whose liveness an executor watches (their pods): silence does not make them interrupted. */
    private volatile java.util.function.Predicate<String> watched = id -> false;
    private final Map<String, RemoteRun> known = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder rowsStored = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder recordsStored = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder batchesStored = new java.util.concurrent.atomic.LongAdder();
    private volatile java.util.function.Consumer<String> onCreated = id -> {};
    private volatile java.util.function.Consumer<String> onAdopted = id -> {};
    private volatile java.util.function.Consumer<String> onAppended = id -> {};
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainwatch-ingest");
        t.setDaemon(true);
        return t;
    });

    public IngestService(RunStore store, RunIndex index, Clock clock, IngestLimits limits) {
        this.store = store;
        this.index = index;
        this.clock = clock;
        this.limits = limits;
    }

    public IngestLimits limits() {
        return limits;
    }

    /** Scalars rows stored since the server started (a counter for /metrics). */
    public long rowsStored() {
        return rowsStored.sum();
    }

    /** Records of every type stored since the server started. */
    public long recordsStored() {
        return recordsStored.sum();
    }

    /** Batches that stored at least one record. */
    public long batchesStored() {
        return batchesStored.sum();
    }

    /** Called with the id of each remote run created (its trainer has started). */
    public void onCreated(java.util.function.Consumer<String> listener) {
        this.onCreated = listener;
    }

    /** Called with the id of each run another executor hands to a trainer elsewhere ({@link #adopt}: a Job was made for it). */
    public void onAdopted(java.util.function.Consumer<String> listener) {
        this.onAdopted = listener;
    }

    /** Called (without blocking) each time records of a run were appended and flushed: the live hub streams them at once. */
    public void onAppended(java.util.function.Consumer<String> listener) {
        this.onAppended = listener;
    }

    /** Tests shorten the idle timeout or the batch limits with this. */
    public void useLimits(IngestLimits l) {
        this.limits = l;
    }

    /** Finds remote runs left running by a previous server (their trainers get the idle timeout to come back), then watches for silence. */
    public void start() {
        for (String id : store.names()) {
            try {
                if (!Files.isRegularFile(IngestFile.path(store.dir(id)))) continue;
                if (store.state(id).status() == RunStatus.RUNNING) load(id);
            } catch (RuntimeException e) {
                LOG.warn("remote run {}: cannot read it at start: {}", id, e.toString());
            }
        }
        timer.scheduleWithFixedDelay(this::tickSafely, 1000, 1000, TimeUnit.MILLISECONDS);
    }

    // --- creating a remote run

    public Created create(byte[] body) {
        return create(body, "");
    }

    /** address: where the request came from (shown with the run as its origin). */
    public Created create(byte[] body, String address) {
        return create(body, address, null);
    }

    /** As {@link #create(byte[], String)}, recording who created it (an editor's token name; null when unknown). */
    public Created create(byte[] body, String address, String owner) {
        JsonNode req = BatchParser.object(body);
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("name", "config", "classes", "description", "host", "client").contains(f))
                problems.add(new Problem(BatchParser.clip(f), "is not a field of a remote run (name, config, classes, description, host, client)"));
        }
        for (String f : List.of("host", "client")) {
            JsonNode v = req.get(f);
            if (v != null && !v.isNull() && (!v.isTextual() || v.asText().length() > MAX_ORIGIN))
                problems.add(new Problem(f, "must be a string of at most " + MAX_ORIGIN + " characters"));
        }
        JsonNode name = req.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME)
            problems.add(new Problem("name", "is required: a string of 1.." + MAX_NAME + " characters"
                    + (name == null ? "" : " (got " + BatchParser.clip(name.toString()) + ")")));
        JsonNode config = req.get("config");
        if (config != null && !config.isNull() && !config.isObject()) problems.add(new Problem("config", "must be an object (any keys)"));
        JsonNode classes = req.get("classes");
        if (classes != null && !classes.isNull() && (!classes.isIntegralNumber() || classes.asLong() < 2 || classes.asLong() > 1_000_000))
            problems.add(new Problem("classes", "must be an integer in 2..1000000 (got " + BatchParser.clip(classes.toString()) + ")"));
        JsonNode description = req.get("description");
        if (description != null && !description.isNull() && (!description.isTextual() || description.asText().length() > MAX_DESCRIPTION))
            problems.add(new Problem("description", "must be a string of at most " + MAX_DESCRIPTION + " characters"));
        if (!problems.isEmpty()) throw IngestException.invalid(problems);

        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("name", name.asText());
        cfg.put("remote", true);
        Integer numClasses = classes == null || classes.isNull() ? null : classes.asInt();
        if (numClasses != null) cfg.put("classes", numClasses);
        if (description != null && !description.isNull()) cfg.put("description", description.asText());
        ObjectNode origin = cfg.putObject(RemoteOrigin.CONFIG_KEY);
        origin.put("host", text(req.get("host")));
        origin.put("client", text(req.get("client")));
        origin.put("address", address == null ? "" : address);
        if (config != null && config.isObject())
            config.fields().forEachRemaining(e -> {
                if (!cfg.has(e.getKey())) cfg.set(e.getKey(), e.getValue());
            });

        String key = IngestKey.create();
        String id = store.newId();
        RemoteRun r = new RemoteRun(id, store.dir(id));
        synchronized (r) {
            known.put(id, r); // owned before its directory exists: the supervisor never mistakes it for an orphaned trainer
            try {
                store.create(id, Json.write(cfg), RunStatus.RUNNING, "remote trainer connected", trainwatch.run.RunOwner.file(owner));
                r.file = new IngestFile(IngestKey.hash(key), numClasses, 0, 0, 0);
                r.file.write(r.dir);
                r.writer = store.openWriter(id);
                r.lastSeq = r.writer.status(RunStatus.RUNNING, "remote trainer connected");
                r.writer.flush();
                r.file = r.file.intent(0, r.lastSeq, 0);
                r.file.write(r.dir);
            } catch (UncheckedIOException e) {
                known.remove(id);
                closeQuietly(r);
                if (DiskSpace.isDiskFull(e)) throw IngestException.of(507, "", "the disk under the runs directory is full: the run could not be created");
                if (Descriptors.exhausted(e)) deleteQuietly(id); // the client never learns its id: it creates another (503, Retry-After)
                throw e;
            } catch (RuntimeException e) {
                known.remove(id);
                closeQuietly(r);
                throw e;
            }
            r.next = 0;
            r.lastStep = -1;
            r.status = RunStatus.RUNNING;
            r.heardMs = clock.millis();
            r.alerts = ServerAlerts.forConfig(cfg);
        }
        index.touch(id);
        onCreated.accept(id);
        return new Created(id, key);
    }

    // --- appending records

    /**
     * Checks the key (before the body is read), parses the batch, appends what is new. Records below the
     * expected seq are acknowledged and skipped; a batch starting above it is refused (409 with the seq).
     */
    public Ack append(String id, String authorization, Supplier<byte[]> body) {
        return append(id, authorization, false, body);
    }

    /**
     * {@code trusted}: the caller proved an editor role (token, session or proxy), which may write any remote
     * run; otherwise the Authorization header must carry this run's own ingest key.
     */
    public Ack append(String id, String authorization, boolean trusted, Supplier<byte[]> body) {
        RemoteRun checked = remote(id);
        if (!trusted) authorize(checked, authorization);
        Batch batch = BatchParser.parse(body.get(), limits);
        while (true) {
            RemoteRun r = remote(id);
            synchronized (r) {
                if (known.get(id) != r) continue; // dropped after a failed append and reloaded meanwhile: use the new one
                return append(r, batch);
            }
        }
    }

    private Ack append(RemoteRun r, Batch batch) {
        String id = r.id;
        if (!store.exists(id)) {
            known.remove(id, r);
            throw IngestException.of(404, "", "no run with id " + id);
        }
        if (batch.first() > r.next) throw IngestException.gap(batch.first(), r.next);
        int skip = (int) Math.min(batch.records().size(), r.next - batch.first());
        List<IngestRecord> fresh = batch.records().subList(skip, batch.records().size());
        if (fresh.isEmpty()) {
            r.heardMs = clock.millis();
            return new Ack(r.next, r.stopRequested);
        }
        if (r.status != null && r.status.isFinal() && r.status != RunStatus.INTERRUPTED)
            throw IngestException.of(409, "records[" + skip + "]", "run " + id + " is " + r.status.wire()
                    + ": it takes no more records (its final status is stored)");
        checkOrder(r, fresh, skip);
        try {
            appendFresh(r, fresh);
        } catch (RuntimeException e) {
            // Nothing of the batch reached the log unless its final flush wrote it whole (the writer held it back):
            // the writer is dropped without flushing, and the next request recovers `next` from ingest.json and the
            // log, exactly as after a crash. Out of descriptors (EMFILE) is answered 503 with Retry-After (HttpApp).
            known.remove(id, r);
            abandonQuietly(r);
            if (e instanceof RunBusyException) throw IngestException.of(409, "", "run " + id + " is being written by another process");
            if (e instanceof RunNotFoundException) throw IngestException.of(404, "", "no run with id " + id);
            if (e instanceof UncheckedIOException u && DiskSpace.isDiskFull(u))
                throw IngestException.of(507, "", "the disk under the runs directory is full: send the batch again later");
            throw e;
        }
        return new Ack(r.next, r.stopRequested);
    }

    /** Steps of scalars rows never decrease (after what is stored, and within the batch); nothing follows a final status. */
    private static void checkOrder(RemoteRun r, List<IngestRecord> fresh, int offset) {
        List<Problem> problems = new ArrayList<>();
        long last = r.lastStep;
        for (int i = 0; i < fresh.size() && problems.size() < 20; i++) {
            IngestRecord rec = fresh.get(i);
            String at = "records[" + (offset + i) + "]";
            if (rec instanceof IngestRecord.ScalarsRow s) {
                if (s.step() < last) problems.add(new Problem(at + ".step", "must not decrease: got " + s.step() + " after step " + last));
                else last = s.step();
            }
            if (rec instanceof IngestRecord.StatusRow st && st.status().isFinal() && i < fresh.size() - 1)
                problems.add(new Problem("records[" + (offset + i + 1) + "]", "comes after the final status " + st.status().wire() + " at " + at));
        }
        if (!problems.isEmpty()) throw IngestException.invalid(problems);
    }

    private void appendFresh(RemoteRun r, List<IngestRecord> fresh) {
        if (r.writer == null) {
            r.writer = store.openWriter(r.id);
            if (r.status != RunStatus.RUNNING) {
                r.lastSeq = r.writer.status(RunStatus.RUNNING, r.status == RunStatus.QUEUED ? "the trainer started" : "the remote trainer is sending again");
                r.status = RunStatus.RUNNING;
            }
        }
        r.file = r.file.intent(r.next, r.lastSeq, fresh.size());
        r.file.write(r.dir); // before the first record can reach the log
        r.writer.holdUntilFlush(); // the batch reaches the log whole at the flush below, or not at all
        long now = clock.millis();
        Double step0Loss = null, step0Reg = null;
        boolean ended = false;
        int rows = 0;
        for (IngestRecord rec : fresh) {
            if (rec instanceof IngestRecord.ScalarsRow s) {
                long t = s.t() < 0 ? now : s.t();
                r.lastSeq = r.writer.scalars(s.step(), t, s.tags(), s.values());
                r.lastStep = s.step();
                r.alerts.onScalars(s.step(), t, s.tags(), s.values());
                rows++;
                if (s.step() == 0) {
                    Scalars row = new Scalars(0, 0, 0, s.tags(), s.values());
                    if (row.value("loss") != null) step0Loss = row.value("loss");
                    if (row.value("reg_loss") != null) step0Reg = row.value("reg_loss");
                }
            } else if (rec instanceof IngestRecord.FiltersRow f) {
                r.lastSeq = r.writer.filters(f.step(), f.t() < 0 ? now : f.t(), f.shape(), f.data());
            } else if (rec instanceof IngestRecord.AlertRow a) {
                r.lastSeq = r.writer.alert(a.step(), a.t() < 0 ? now : a.t(), a.kind(), a.tag(), a.message(), a.advice());
            } else if (rec instanceof IngestRecord.CheckRow c) {
                r.lastSeq = r.writer.check(c.check(), c.outcome(), c.summary(), c.detailsJson());
                if (c.check().equals("initial_loss")) r.initialLossJudged = true;
            } else if (rec instanceof IngestRecord.StatusRow st) {
                // a stop that asked for another final status (a sweep prunes a trial): the trainer's "stopped" is that status
                boolean as = st.status() == RunStatus.STOPPED && r.stopAs != null && r.stopAs.status() != RunStatus.STOPPED;
                RunStatus status = as ? r.stopAs.status() : st.status();
                r.lastSeq = r.writer.status(status, as ? r.stopAs.reason() : st.reason());
                r.status = status;
                ended = status.isFinal();
            }
            r.next++;
        }
        // what the server adds comes after the batch's own records (IngestFile counts those first)
        if (!r.initialLossJudged && step0Loss != null && r.file.classes() != null) {
            r.initialLossJudged = true;
            InitialLossVerdict v = InitialLossVerdict.of(step0Loss, step0Reg, r.file.classes());
            r.lastSeq = r.writer.check("initial_loss", v.outcome(), v.summary(), v.detailsJson());
        }
        if (r.lastStep >= 0) r.initialLossJudged = true; // judged on step 0 only, like a launched run
        for (ServerAlerts.Raised a : r.alerts.drain())
            r.lastSeq = r.writer.alert(a.step(), a.t(), a.kind(), a.tag(), a.message(), a.advice());
        r.writer.flush();
        r.heardMs = clock.millis();
        batchesStored.increment();
        recordsStored.add(fresh.size());
        rowsStored.add(rows);
        onAppended.accept(r.id);
        if (ended) {
            r.writer.close();
            r.writer = null;
            index.touch(r.id);
        }
    }

    /**
     * The run's stored config (GET /api/ingest/runs/{id}/config): what `train --remote URL --run ID` trains. Its own
     * ingest key reads it (and no other run's); {@code trusted}: a viewer or above, who may read any.
     */
    public JsonNode config(String id, String authorization, boolean trusted) {
        RemoteRun r = remote(id);
        if (!trusted) authorize(r, authorization);
        try (RunReader rd = store.reader(id)) {
            return Json.tree(rd.configJson());
        } catch (RunNotFoundException e) {
            throw IngestException.of(404, "", "no run with id " + id);
        }
    }

    /**
     * Checks that {@code authorization} is "Bearer KEY" with run {@code id}'s own ingest key: 401 without one, 403 with
     * another, 404 for an unknown run or one not created here (the checkpoint routes ask this of a caller without a role).
     */
    public void authorizeKey(String id, String authorization) {
        authorize(remote(id), authorization);
    }

    private void authorize(RemoteRun r, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7)
            throw IngestException.of(401, "Authorization", "is required: \"Bearer <the ingest key POST /api/ingest/runs returned>\"");
        IngestFile f;
        synchronized (r) {
            f = r.file;
        }
        if (!IngestKey.matches(authorization.substring(7).trim(), f.keySha256()))
            throw IngestException.of(403, "Authorization", "is not the ingest key of run " + r.id);
    }

    /** The remote run, loaded from disk after a restart (its expected seq recovered from ingest.json and the log). */
    private RemoteRun remote(String id) {
        if (!RunStore.validId(id)) throw IngestException.of(400, "id", "must match [a-z0-9-]{1,64} (got " + BatchParser.clip(id) + ")");
        RemoteRun r = known.get(id);
        if (r != null) return r;
        if (!store.exists(id)) throw IngestException.of(404, "", "no run with id " + id);
        if (!Files.isRegularFile(IngestFile.path(store.dir(id))))
            throw IngestException.of(404, "", "run " + id + " was not created through the ingest API: it takes no records");
        return load(id);
    }

    private RemoteRun load(String id) {
        return known.computeIfAbsent(id, k -> {
            RemoteRun r = new RemoteRun(id, store.dir(id));
            IngestFile f = IngestFile.read(r.dir);
            if (f == null) throw IngestException.of(404, "", "run " + id + " was not created through the ingest API: it takes no records");
            try (RunReader rd = store.reader(id)) {
                r.file = f;
                r.lastSeq = rd.lastSeq();
                r.next = f.recoveredNext(r.lastSeq);
                Scalars latest = rd.latest();
                r.lastStep = latest == null ? -1 : latest.step();
                r.status = store.state(id).orNewerLogged(rd.statusHistory()).status();
                r.initialLossJudged = r.lastStep >= 0 || rd.checks().stream().map(CheckResult::check).anyMatch("initial_loss"::equals);
                r.alerts = ServerAlerts.forConfig(Json.tree(rd.configJson()));
                r.stopAs = store.stopRequest(id);
                r.stopRequested = r.stopAs != null;
            } catch (RunNotFoundException e) {
                throw IngestException.of(404, "", "no run with id " + id);
            }
            r.heardMs = clock.millis();
            return r;
        });
    }

    // --- the run service's side (stop, ownership)

    @Override
    public boolean owns(String id) {
        if (known.containsKey(id)) return true;
        return RunStore.validId(id) && Files.isRegularFile(IngestFile.path(store.dir(id)));
    }

    /** Delivered with the next acknowledgement ("stop": true): the client ends its run and sends status stopped. */
    @Override
    public void stop(String id) {
        stop(id, null);
    }

    /**
     * as: the final status the stop asks for (a sweep's pruned), null for a plain stop. The request is stored in the
     * run (stop.json) before it is answered, so a server restart still delivers it.
     */
    @Override
    public void stop(String id, StopRequest as) {
        RemoteRun r = remoteForRunApi(id);
        synchronized (r) {
            if (r.status != null && r.status.isFinal())
                throw RunException.conflict("run " + id + " is not running (status " + r.status.wire() + ")");
            StopRequest req = as != null ? as : new StopRequest(RunStatus.STOPPED, "stop requested");
            store.requestStop(id, req);
            r.stopAs = req;
            r.stopRequested = true;
        }
    }

    /** The remote run, for the run API's calls (stop, resume): an unknown id is that API's 404. */
    private RemoteRun remoteForRunApi(String id) {
        try {
            return remote(id);
        } catch (IngestException e) {
            throw RunException.notFound("no remote run with id " + id);
        }
    }

    /**
     * An existing queued run becomes remote (the kubernetes executor's runs): a new key, ingest.json written, the
     * client seq expected next kept when the run was remote already.
     */
    @Override
    public String adopt(String id) {
        String key = IngestKey.create();
        IngestFile old = IngestFile.read(store.dir(id));
        long next = 0;
        Integer classes = null;
        if (old != null) {
            RemoteRun r = remote(id);
            synchronized (r) {
                next = r.next;
                classes = r.file.classes();
                closeQuietly(r);
            }
        }
        known.remove(id);
        long lastSeq;
        try (RunReader rd = store.reader(id)) {
            lastSeq = rd.lastSeq();
        }
        new IngestFile(IngestKey.hash(key), classes, next, lastSeq, 0).write(store.dir(id));
        store.clearStopRequest(id); // a stop of an earlier life (before a resume) is not this trainer's
        load(id);
        onAdopted.accept(id);
        return key;
    }

    /**
     * A remote run continues from a checkpoint taken before step {@code fromStep} (the kubernetes executor's resume):
     * the store supersedes what the earlier sessions recorded for steps >= fromStep (a RESUME record, seq going on,
     * exactly as a local resume: RunStore.openForResume), the client seq expected next is kept, and the run reads
     * {@code queued} with reason {@code resume requested} until its new trainer sends. 409 while it is not final.
     */
    @Override
    public void resume(String id, long fromStep) {
        RemoteRun r = remoteForRunApi(id);
        synchronized (r) {
            if (r.status != RunStatus.INTERRUPTED && r.status != RunStatus.STOPPED)
                throw RunException.conflict("run " + id + " is " + (r.status == null ? "unknown" : r.status.wire())
                        + ": only an interrupted or stopped run can be resumed");
            closeQuietly(r);
            known.remove(id, r);
            store.openForResume(id, fromStep - 1).close(); // cut, RESUME record, fsync: the same steps as a local resume
            long lastSeq;
            try (RunReader rd = store.reader(id)) {
                lastSeq = rd.lastSeq();
            }
            // the batch intent of the earlier session is settled: the next client record goes after the RESUME record
            new IngestFile(r.file.keySha256(), r.file.classes(), r.next, lastSeq, 0).write(r.dir);
            store.clearStopRequest(id);
            store.writeState(id, new StatusRecord(RunStatus.QUEUED, "resume requested", clock.millis(), 0, store.state(id).createdMs()));
        }
        index.touch(id);
        onAppended.accept(id);
    }

    @Override
    public boolean record(String id, RunStatus status, String reason) {
        while (true) {
            RemoteRun r;
            try {
                r = remote(id);
            } catch (IngestException e) {
                return false; // deleted, or not remote: nothing to record
            }
            synchronized (r) {
                if (known.get(id) != r) continue;
                // a trainer in a pod records 'stopped' on any SIGTERM; when nobody asked for a stop, Kubernetes ended it
                // (eviction, drain, preemption) and what it says replaces the trainer's guess
                boolean unaskedStop = r.status == RunStatus.STOPPED && !r.stopRequested && status == RunStatus.INTERRUPTED && watched.test(id);
                if (r.status != null && r.status.isFinal() && !unaskedStop) return false;
                long now = clock.millis();
                if (status == RunStatus.QUEUED) {
                    if (r.status != RunStatus.QUEUED) return false;
                    store.writeState(id, new StatusRecord(RunStatus.QUEUED, reason, now, 0, store.state(id).createdMs()));
                } else {
                    if (status == r.status) return false;
                    if (r.writer == null) r.writer = store.openWriter(id);
                    r.lastSeq = r.writer.status(status, reason);
                    r.status = status;
                    r.heardMs = now;
                    if (status.isFinal()) closeQuietly(r);
                }
            }
            index.touch(id);
            onAppended.accept(id);
            LOG.info("remote run {}: {} ({})", id, status.wire(), reason);
            return true;
        }
    }

    @Override
    public void watchedElsewhere(java.util.function.Predicate<String> w) {
        this.watched = w;
    }

    /** The run was deleted: forget it (a late batch then gets 404). */
    public void forget(String id) {
        RemoteRun r = known.remove(id);
        if (r != null) synchronized (r) {
            closeQuietly(r);
        }
    }

    // --- silence

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("ingest tick failed: {}", e.toString());
        }
    }

    /** A running remote run silent for the idle timeout becomes interrupted (stopped, if a stop was asked for) and its writer closes. */
    void tick() {
        long now = clock.millis();
        long idle = limits.idleTimeoutMs();
        for (RemoteRun r : known.values()) {
            synchronized (r) {
                if (r.status != RunStatus.RUNNING || now - r.heardMs < idle || watched.test(r.id)) continue;
                try {
                    if (r.writer == null) r.writer = store.openWriter(r.id);
                    RunStatus s = !r.stopRequested ? RunStatus.INTERRUPTED : r.stopAs != null ? r.stopAs.status() : RunStatus.STOPPED;
                    String why = r.stopRequested ? "stopped on request (the remote trainer went silent before confirming)"
                            : "no data from the remote trainer for " + idle / 1000 + " s";
                    r.lastSeq = r.writer.status(s, why);
                    r.status = s;
                    r.writer.close();
                    r.writer = null;
                    index.touch(r.id);
                    onAppended.accept(r.id);
                    LOG.info("remote run {}: {} ({})", r.id, s.wire(), why);
                } catch (RuntimeException e) {
                    LOG.warn("remote run {}: could not mark it silent: {}", r.id, e.toString());
                    known.remove(r.id, r);
                    closeQuietly(r);
                }
            }
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** A failed batch: the writer goes without flushing what it buffered (RunWriter.abandon). */
    private static void abandonQuietly(RemoteRun r) {
        if (r.writer == null) return;
        try {
            r.writer.abandon();
        } catch (RuntimeException e) {
            LOG.warn("remote run {}: dropping its writer failed: {}", r.id, e.toString());
        } finally {
            r.writer = null;
        }
    }

    private void deleteQuietly(String id) {
        try {
            store.delete(id);
        } catch (RuntimeException e) {
            LOG.warn("remote run {}: could not remove the half-created run: {}", id, e.toString());
        }
    }

    private static void closeQuietly(RemoteRun r) {
        if (r.writer == null) return;
        try {
            r.writer.close();
        } catch (RuntimeException e) {
            LOG.warn("remote run {}: closing its writer failed: {}", r.id, e.toString());
        } finally {
            r.writer = null;
        }
    }

    /** Closes every writer; runs stay 'running' on disk, and their trainers get the idle timeout after the next start. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (RemoteRun r : known.values()) synchronized (r) {
            closeQuietly(r);
        }
        known.clear();
    }
}
