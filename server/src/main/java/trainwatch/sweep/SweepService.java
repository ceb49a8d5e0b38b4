package trainwatch.sweep;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.json.Json;
import trainwatch.run.RunException;
import trainwatch.search.InvalidSpaceException;
import trainwatch.search.Refine;
import trainwatch.search.Space;

/**
 * What the sweep routes and the `sweep` command ask of sweeps (docs/sweeps.md). Errors are
 * RunExceptions: 400 with the field, 404 for an unknown sweep, 409 for a conflict. The sweeps
 * this service runs (created here, or found running when {@link #start()} loaded them) are
 * ticked every {@code tickMs}; a sweep another process runs on the same runs/ is shown as its
 * events say, never driven from here.
 */
public final class SweepService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SweepService.class);
    public static final long TICK_MS = 500;

    private final SweepStore store;
    private final Trials trials;
    private final Clock clock;
    private final Path dataDir;
    private final Map<String, Sweeper> owned = new ConcurrentHashMap<>();
    private final Map<String, Viewed> viewed = new ConcurrentHashMap<>();
    private final List<Consumer<SweepChange>> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;

    public SweepService(SweepStore store, Trials trials, Clock clock, Path dataDir) {
        this.store = store;
        this.trials = trials;
        this.clock = clock;
        this.dataDir = dataDir;
    }

    /** Server start: every sweep whose state is running is replayed from events.jsonl and continued; then ticks every {@code tickMs}. */
    public synchronized void start(long tickMs) {
        for (String id : store.ids()) {
            try {
                Sweeper s = load(id);
                if (!s.done()) owned.put(id, s); // running, or stopped with trials still ending
            } catch (RuntimeException e) {
                LOG.warn("sweep {}: cannot be loaded: {}", id, e.toString());
            }
        }
        watchOthers(); // notes the other sweeps on disk: from now on a change of theirs is told
        tick();
        startTicking(tickMs);
    }

    /** Ticks the sweeps created here (the command line does not continue other sweeps). */
    public synchronized void startTicking(long tickMs) {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trainwatch-sweeps");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    /** One round over the sweeps this service runs (the timer calls it; tests call it directly). */
    public void tick() {
        for (Iterator<Map.Entry<String, Sweeper>> it = owned.entrySet().iterator(); it.hasNext(); ) {
            Sweeper s = it.next().getValue();
            try {
                s.tick();
                if (s.done()) {
                    it.remove();
                    released(s); // shown from now on as its files say
                }
            } catch (RuntimeException e) {
                LOG.warn("sweep {}: tick failed: {}", s.id, e.toString());
            }
        }
        if (++ticks % WATCH_EVERY_TICKS == 0) watchOthers();
    }

    /** Sweeps run by another process are looked at every this many ticks. */
    static final int WATCH_EVERY_TICKS = 4;
    private long ticks;
    private boolean watched;
    /** What the watcher last told of each sweep not run here: the events' size then, and its trials. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(long size, Map<Integer, TrialView> trials) {}

    /**
     * Sweeps another process runs on the same runs/ (a `sweep` command): when one appears or its
     * events.jsonl grows, it is replayed and its changes are told like this service's own (each
     * trial that changed, then the summary), so the pages follow it live. The first look only
     * takes note of what is there. Its own record ({@link #seen}), not the read cache: a GET that
     * replayed the sweep first must not hide the change.
     */
    synchronized void watchOthers() {
        List<String> ids = store.ids();
        seen.keySet().retainAll(new java.util.HashSet<>(ids));
        for (String id : ids) {
            if (owned.containsKey(id)) continue;
            try {
                long size = store.eventsSize(id);
                Seen before = seen.get(id);
                if (before != null && before.size() == size) continue;
                Sweeper now = sweeper(id);
                SweepView summary;
                Map<Integer, TrialView> trials = new java.util.HashMap<>();
                synchronized (now) {
                    summary = SweepViews.summary(now);
                    for (SweepLedger.TrialState t : now.ledger.trials()) trials.put(t.n, t.view());
                }
                seen.put(id, new Seen(size, trials));
                if (!watched) continue;
                if (before != null)
                    for (TrialView t : trials.values()) if (!t.equals(before.trials().get(t.n()))) fire(new SweepChange(id, t, summary));
                fire(new SweepChange(id, null, summary));
            } catch (RuntimeException e) {
                LOG.warn("sweep {}: cannot be read: {}", id, e.toString());
            }
        }
        watched = true;
    }

    /** A sweep this service ran is done: from now on the watcher compares it with how it ended here. */
    private void released(Sweeper s) {
        Map<Integer, TrialView> trials = new java.util.HashMap<>();
        synchronized (s) {
            for (SweepLedger.TrialState t : s.ledger.trials()) trials.put(t.n, t.view());
        }
        long size = store.eventsSize(s.id);
        seen.put(s.id, new Seen(size, trials));
        viewed.put(s.id, new Viewed(s, size));
    }

    public void onChange(Consumer<SweepChange> listener) {
        listeners.add(listener);
    }

    /** POST /api/sweeps: validates (400 naming the field; nothing is created), creates and starts it; 201 with this summary. */
    public SweepView create(String bodyJson) {
        return create(SpecParser.parse(bodyJson, dataDir));
    }

    /** As {@link #create(String)}, recording who started it (null: nobody known); its trial runs carry the same owner. */
    public SweepView create(String bodyJson, String owner) {
        return create(SpecParser.parse(bodyJson, dataDir), owner);
    }

    /** Creates a sweep from a validated spec and starts its first trials. */
    public SweepView create(SweepSpec spec) {
        return create(spec, null);
    }

    public SweepView create(SweepSpec spec, String owner) {
        String id = store.newId();
        store.create(id, Json.write(spec.raw()), List.of(SweepEvent.state(SweepLedger.RUNNING, "", clock.millis())));
        if (owner != null && !owner.isBlank()) {
            byte[] b = trainwatch.run.RunOwner.file(owner).get(trainwatch.run.RunOwner.FILE);
            trainwatch.store.AtomicFiles.writeDurably(store.dir(id).resolve(trainwatch.run.RunOwner.FILE), out -> out.write(b));
        }
        Sweeper s = load(id);
        owned.put(id, s);
        s.tick();
        return summary(s);
    }

    /** GET /api/sweeps: newest first. */
    public List<SweepView> list() {
        List<SweepView> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                out.add(summary(sweeper(id)));
            } catch (RuntimeException e) {
                LOG.warn("sweep {}: cannot be read: {}", id, e.toString());
            }
        }
        return out;
    }

    public SweepDetail get(String id) {
        Sweeper s = sweeper(require(id));
        synchronized (s) {
            return SweepViews.detail(s);
        }
    }

    /** The detail with its trials as columns (the live socket's first message). */
    public SweepColumns columns(String id) {
        Sweeper s = sweeper(require(id));
        synchronized (s) {
            return SweepColumns.of(SweepViews.summary(s), SweepViews.detail(s));
        }
    }

    /** POST /api/sweeps/{id}/stop: no new trial starts, running ones are stopped. 409 when it is not running. */
    public SweepView stop(String id) {
        Sweeper s = sweeper(require(id));
        if (!s.running()) throw RunException.conflict("sweep " + id + " is " + s.ledger.state + ", not running");
        if (!owned.containsKey(id)) throw RunException.conflict("sweep " + id + " is run by another process (a `sweep` command): stop it there");
        s.stop();
        return summary(s);
    }

    /**
     * POST /api/sweeps/{id}/refine, body {} or {"trials": N, "name": "...", "parameters": {...}}: a new sweep over the ranges
     * narrowed around the best trials (docs/search.md "Coarse to fine"), its parent this one; {@code parameters} replaces
     * (or, with null, drops) some of them: the way to change a search space once started, e.g. to widen a range an edge
     * warning names. 409 without a finished trial.
     */
    public SweepView refine(String id, String bodyJson) {
        Sweeper s = sweeper(require(id));
        JsonNode body = refineBody(bodyJson);
        Space narrowed;
        synchronized (s) {
            try {
                narrowed = Refine.narrow(s.spec.space(), s.history(), s.spec.goal());
            } catch (InvalidSpaceException e) {
                throw RunException.conflict("sweep " + id + " has no finished trial with a value yet: nothing to refine around");
            }
        }
        ObjectNode spec = ((ObjectNode) s.spec.raw()).deepCopy();
        spec.remove("parent");
        ObjectNode parameters = SpaceJson.of(narrowed);
        if (body.has("parameters")) { // the caller changes the space: a range replaced (widened), a parameter added, or removed with null
            for (Iterator<Map.Entry<String, JsonNode>> it = body.get("parameters").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) parameters.remove(e.getKey());
                else parameters.set(e.getKey(), e.getValue());
            }
        }
        spec.set("parameters", parameters);
        if (body.has("name")) spec.set("name", body.get("name"));
        else spec.put("name", refinedName(s.spec.name()));
        if (body.has("trials")) spec.set("trials", body.get("trials"));
        else if ("grid".equals(s.spec.method())) spec.remove("trials"); // the narrowed grid, whole
        SpecParser.parse(spec.toString(), dataDir); // 400 naming the field for a bad name or trials
        spec.put("parent", id);
        return create(SpecParser.parseStored(spec.toString(), dataDir));
    }

    private static String refinedName(String name) {
        String n = name + " (refined)";
        return n.length() > SpecParser.MAX_NAME ? n.substring(0, SpecParser.MAX_NAME) : n;
    }

    private static JsonNode refineBody(String bodyJson) {
        if (bodyJson == null || bodyJson.isBlank()) return Json.MAPPER.createObjectNode();
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bodyJson);
        } catch (JsonProcessingException e) {
            throw RunException.invalid("", "body is not valid JSON");
        }
        if (body == null || !body.isObject()) throw RunException.invalid("", "body must be a JSON object: {} or {\"trials\": 30, \"name\": \"...\"}");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("trials") && !k.equals("name") && !k.equals("parameters"))
                throw RunException.invalid(k, "unknown key (known: trials, name, parameters)");
        }
        if (body.has("parameters") && !body.get("parameters").isObject())
            throw RunException.invalid("parameters", "must be an object: path -> a parameter as in a spec, or null to drop it");
        return body;
    }

    /** DELETE /api/sweeps/{id}[?runs=true]: 409 while it is running or its trials are still ending. */
    public DeleteResult delete(String id, boolean runs) {
        Sweeper s = sweeper(require(id));
        if (!s.done()) throw RunException.conflict("sweep " + id + " is " + s.ledger.state
                + (s.running() ? ": stop it before deleting it" : " but its trials are still ending: try again"));
        int deleted = 0;
        if (runs) {
            for (String run : s.ledger.runs()) {
                if (trials.delete(run)) deleted++;
            }
        }
        owned.remove(id);
        viewed.remove(id);
        store.delete(id);
        fire(SweepChange.deleted(id));
        return new DeleteResult(id, deleted);
    }

    /** True when the sweep has finished or stopped and none of its trials is active (the command line waits for it). */
    public boolean done(String id) {
        return sweeper(require(id)).done();
    }

    public SweepView summary(String id) {
        return summary(sweeper(require(id)));
    }

    private static SweepView summary(Sweeper s) {
        synchronized (s) {
            return SweepViews.summary(s);
        }
    }

    private String require(String id) {
        if (!SweepStore.validId(id)) throw RunException.invalid("id", "is not a sweep id (s + yyyymmdd-hhmmss-xxxx)");
        if (!owned.containsKey(id) && !store.exists(id)) throw RunException.notFound("no sweep with id " + id);
        return id;
    }

    /** The live controller when this service runs the sweep, else a fresh replay of its files. */
    private Sweeper sweeper(String id) {
        Sweeper s = owned.get(id);
        if (s != null) return s;
        // a sweep nobody here drives changes only when its events.jsonl grows: replay it again only then
        long size = store.eventsSize(id);
        Viewed v = viewed.get(id);
        if (v != null && v.size() == size) return v.sweeper();
        Sweeper fresh = load(id);
        viewed.put(id, new Viewed(fresh, size));
        return fresh;
    }

    private record Viewed(Sweeper sweeper, long size) {}

    private Sweeper load(String id) {
        SweepSpec spec = SpecParser.parseStored(store.spec(id), dataDir);
        return Sweeper.replay(id, spec, store.events(id), store, trials, clock, dataDir, this::fire);
    }

    private void fire(SweepChange c) {
        for (Consumer<SweepChange> l : listeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                LOG.warn("a sweep listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
