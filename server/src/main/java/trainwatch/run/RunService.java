package trainwatch.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.FieldError;
import trainwatch.config.RunConfig;
import trainwatch.config.StoredConfig;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.json.AlertView;
import trainwatch.json.Json;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunBusyException;
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunStore;
import trainwatch.store.Series;
import trainwatch.store.StatusRecord;

/** What the REST API can ask of runs; throws {@link RunException} for the caller's mistakes. */
public final class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
    public static final Set<String> CHECKS = Set.of("overfit", "gradients");
    static final int MAX_POINTS = 100_000;
    static final int LOG_TAIL_BYTES = 512 * 1024;

    private final RunStore store;
    private final ReaderPool readers;
    private final RunIndex index;
    private final Executor supervisor;
    private final List<java.util.function.Consumer<String>> deleteListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DiskUse disk;

    public RunService(RunStore store, ReaderPool readers, RunIndex index, Executor supervisor) {
        this.store = store;
        this.readers = readers;
        this.index = index;
        this.supervisor = supervisor;
        this.disk = new DiskUse(store.root(), DiskSpace.SYSTEM, System::currentTimeMillis);
    }

    /** Replaces the free-space probe (tests simulate a full disk with it). */
    public void useDiskProbe(DiskSpace.Probe probe) {
        disk.probe(probe);
        supervisor.useDiskProbe(probe);
    }

    /** GET /api/disk: {"runs_bytes", "free_bytes", "total_bytes", "low", ...}. */
    public DiskUse.View disk() {
        return disk.view();
    }

    /**
     * Queues an interrupted or stopped run to continue from its newest checkpoint (without one it starts over,
     * superseding what it had recorded). Refused on a full disk (507).
     */
    public void resume(String id) {
        requireRun(id);
        disk.requireRoom("resuming a run");
        // A page learns "stopped" from the log a moment before the trainer has rewritten status.json
        // and exited: give a trainer that logged its final status a few seconds instead of a 409.
        for (int tries = 0; ; tries++) {
            try {
                supervisor.resume(id);
                break;
            } catch (RunException e) {
                if (e.kind() != RunException.Kind.CONFLICT || tries >= RESUME_WAIT_TRIES || !loggedResumable(id)) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        index.touch(id); // queued again, listed at once (forgetting it would flash a "removed" on open pages)
    }

    private static final int RESUME_WAIT_TRIES = 150; // x 100 ms

    /** The status the pages show: status.json, or a newer change the trainer has logged and not yet written there. */
    private RunStatus shownStatus(String id) {
        return read(id, r -> state(id).orNewerLogged(r.statusHistory())).status();
    }

    /** The trainer has logged stopped / interrupted (status.json may not say so yet). */
    private boolean loggedResumable(String id) {
        RunStatus s = shownStatus(id);
        return s == RunStatus.STOPPED || s == RunStatus.INTERRUPTED;
    }

    /** Told before a run's files are deleted (the live hub closes its stream). */
    public void onDelete(java.util.function.Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    /** Validates with the CLI's parser (same messages), creates the run as 'queued' and queues it. */
    public String create(String body) {
        return create(body, null);
    }

    /** As {@link #create(String)}, recording who started it (null: nobody known, e.g. no authentication). */
    public String create(String body, String owner) {
        RunConfig config;
        try {
            config = ConfigParser.parse(body);
        } catch (ConfigException e) {
            List<Problem> problems = new ArrayList<>();
            for (FieldError fe : e.errors()) problems.add(new Problem(fe.field(), fe.message(), fe.line())); // the CLI's exact line
            if (problems.isEmpty()) problems.add(new Problem("", e.getMessage()));
            throw RunException.invalid(problems);
        }
        disk.requireRoom("a new run");
        String id = store.newId();
        try {
            store.create(id, ConfigParser.toJson(config), RunStatus.QUEUED, "", RunOwner.file(owner));
        } catch (java.io.UncheckedIOException e) {
            if (!DiskSpace.isDiskFull(e)) throw e;
            throw RunException.insufficientStorage(DiskSpace.fullReason(Math.max(0, disk.free()), store.root()) + ": the run could not be created");
        }
        index.touch(id); // listed at once, not on the next refresh
        supervisor.submit(id);
        return id;
    }

    /** One page of the run list, from the index: no run file is read. */
    public RunPage list(RunQuery q) {
        return q.page(index.entries(), index.indexing());
    }

    public RunDetail get(String id) {
        requireRun(id);
        // the page asks for /log only when there is one: a run trained elsewhere has none, which is no error
        boolean hasLog = Files.isRegularFile(store.dir(id).resolve(ChildJvm.TRAINER_LOG)) || supervisor.hasTrainerLog(id);
        long diskBytes = disk.bytes(store.dir(id));
        String owner = RunOwner.read(store.dir(id));
        return read(id, r -> RunViews.detail(id, r, state(id).orNewerLogged(r.statusHistory()), diskBytes, hasLog, owner));
    }

    public Series scalars(String id, String tag, int points, long from, long to) {
        requireRun(id);
        if (tag == null || tag.isBlank()) throw RunException.invalid("tag", "is required (e.g. tag=loss)");
        if (points < 1 || points > MAX_POINTS) throw RunException.invalid("points", "must be between 1 and " + MAX_POINTS + " (got " + points + ")");
        if (from > to) throw RunException.invalid("from", "must be <= to (got from=" + from + ", to=" + to + ")");
        return read(id, r -> {
            if (!r.tags().contains(tag)) throw RunException.notFound("run " + id + " has no tag " + tag);
            return r.series(tag, points, from, to);
        });
    }

    /** Wall-clock anchors (steps, wall ms) for time x axes; see RunReader.clock. */
    public long[][] clock(String id, int points) {
        requireRun(id);
        if (points < 2 || points > MAX_POINTS) throw RunException.invalid("points", "must be between 2 and " + MAX_POINTS + " (got " + points + ")");
        return readers.with(id, r -> r.clock(points));
    }

    /** step = null for the latest snapshot. */
    public FiltersView filters(String id, Long step) {
        requireRun(id);
        return read(id, r -> {
            List<Long> steps = r.filterSteps();
            if (steps.isEmpty()) throw RunException.notFound("run " + id + " has no filter snapshots (only runs on image data record them)");
            long want = step == null ? steps.get(steps.size() - 1) : step;
            FilterSnapshot snap = r.filters(want);
            if (snap == null || snap.data() == null) throw RunException.notFound("run " + id + " has no filter snapshot at step " + want);
            ByteBuffer buf = ByteBuffer.allocate(snap.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(snap.data());
            return new FiltersView(snap.step(), steps, snap.shape(), Base64.getEncoder().encodeToString(buf.array()));
        });
    }

    public List<AlertView> alerts(String id) {
        requireRun(id);
        return read(id, r -> RunViews.alerts(r.alerts()));
    }

    /** The end of the trainer's own output (stdout + stderr), at most 512 KB. */
    public String log(String id) {
        requireRun(id);
        String elsewhere = supervisor.trainerLog(id, LOG_TAIL_BYTES); // a pod's log, for a run on the kubernetes executor
        if (elsewhere != null) return elsewhere;
        Path log = store.dir(id).resolve(ChildJvm.TRAINER_LOG);
        if (!Files.isRegularFile(log)) throw RunException.notFound("run " + id + " has no trainer log (it was not started by this server)");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long start = Math.max(0, len - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (len - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("run {}: cannot read its trainer log", id, e);
            throw RunException.conflict("the trainer log of run " + id + " cannot be read (the reason is in the server's log)");
        }
    }

    public void stop(String id) {
        requireRun(id);
        StatusRecord state = state(id);
        if (EffectiveStatus.isUnreadable(state)) {
            if (!supervisor.isActive(id)) throw RunException.conflict("run " + id + " is not running (its status.json is unreadable)");
        } else {
            RunStatus shown = read(id, r -> state.orNewerLogged(r.statusHistory())).status();
            if (shown.isFinal()) // logged final: its trainer is exiting and the pages already say so
                throw RunException.conflict("run " + id + " is not running (status " + shown.wire() + ")");
        }
        try {
            supervisor.stop(id);
        } catch (RunNotFoundException e) {
            throw gone(id);
        }
    }

    public void delete(String id) {
        requireRun(id);
        StatusRecord state = state(id);
        // the status the pages show: a trainer logs a change just before it rewrites status.json
        RunStatus s = read(id, r -> state.orNewerLogged(r.statusHistory())).status();
        if (!s.isFinal()) throw RunException.conflict("run " + id + " is " + s.wire() + ": stop it before deleting it");
        if (EffectiveStatus.isUnreadable(state) && store.trainerAlive(id))
            throw RunException.conflict("run " + id + " has an unreadable status.json but a trainer still holds it: stop that trainer first");
        // a trainer that has just written its final status may still be closing its files
        if (supervisor.isActive(id) && !supervisor.awaitGone(id, 10_000))
            throw RunException.conflict("run " + id + " is " + s.wire() + " but its trainer has not exited yet: try again");
        if (!state(id).status().isFinal()) // logged final, status.json not rewritten yet, and no trainer here to wait for
            throw RunException.conflict("run " + id + " is " + s.wire() + " but has not recorded it in status.json yet: try again");
        // a check still running would write its checks/ directory back into the deleted run
        if (!supervisor.stopChecks(id, 10_000))
            throw RunException.conflict("run " + id + " has a check process that has not exited yet: try again");
        deleteListeners.forEach(l -> l.accept(id));
        readers.evict(id);
        BestValAcc.forget(id);
        disk.forget(store.dir(id));
        try {
            store.delete(id);
        } catch (RunBusyException e) {
            throw RunException.conflict("run " + id + " is held by a trainer that is still running: try again when it has exited");
        } catch (RunNotFoundException e) {
            throw gone(id);
        } finally {
            index.touch(id); // gone: dropped from the list; still there: listed as it is
        }
    }

    /** Hides a finished run from the default list; its files stay (docs/run-format.md "archived.json"). */
    public RunEntry archive(String id, boolean archived) {
        requireRun(id);
        RunStatus s = EffectiveStatus.read(store, id).status();
        if (archived && !s.isFinal()) throw RunException.conflict("run " + id + " is " + s.wire() + ": only finished runs can be archived");
        Path marker = store.dir(id).resolve(Fingerprint.ARCHIVED);
        try {
            if (archived) Files.writeString(marker, "{\"archived_at\":" + System.currentTimeMillis() + "}\n");
            else Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a server fault: an honest 500
        }
        index.touch(id);
        RunEntry e = index.get(id);
        if (e == null) throw RunException.notFound("no run with id " + id);
        return e;
    }

    /** The runs a bulk delete would take: the given ids, or every run matching a filter. */
    public List<RunEntry> selection(List<String> ids, RunQuery filter) {
        if (ids != null) {
            List<RunEntry> out = new ArrayList<>();
            for (String id : ids) {
                requireRun(id);
                index.touch(id); // as the run is now, not as the last refresh saw it
                RunEntry e = index.get(id);
                if (e != null) out.add(e);
            }
            return out;
        }
        return index.entries().stream().filter(filter::matches).toList();
    }

    /** Deletes each run it can; live ones (and any that fail) are skipped with their reason, never half-deleted. */
    public BulkDelete deleteAll(List<RunEntry> runs, boolean dryRun) {
        List<String> deleted = new ArrayList<>();
        List<Problem> skipped = new ArrayList<>();
        long bytes = 0;
        for (RunEntry e : runs) {
            if (e.isLive()) {
                skipped.add(new Problem(e.id(), "is " + e.status() + ": stop it before deleting it"));
                continue;
            }
            if (!dryRun) {
                try {
                    delete(e.id());
                } catch (RunException ex) {
                    skipped.add(new Problem(e.id(), ex.problems().get(0).message()));
                    continue;
                }
            }
            deleted.add(e.id());
            bytes += e.diskBytes();
        }
        return new BulkDelete(dryRun, deleted, bytes, skipped.stream().map(p -> new BulkDelete.Skipped(p.field(), p.message())).toList());
    }

    public void startCheck(String id, String check) {
        requireRun(id);
        if (!CHECKS.contains(check)) throw RunException.notFound("no check named " + check + " (overfit, gradients)");
        requireTrainerConfig(id, "the " + check + " check");
        try {
            supervisor.startCheck(id, check);
        } catch (RunNotFoundException e) {
            throw gone(id);
        }
    }

    /**
     * Refuses (409, saying why) what trains trainwatch's model from a run's config when the run is a remote run whose
     * client sent a config of its own (a PyTorch loop's hyperparameters): there is no trainer config to train from.
     * A remote run trained by `train --remote` has one under the keys the server added (StoredConfig).
     */
    private void requireTrainerConfig(String id, String what) {
        JsonNode stored;
        try {
            stored = Json.tree(Files.readString(store.dir(id).resolve("config.json")));
        } catch (IOException | RuntimeException e) {
            return; // an unreadable config is the check's own failure to report, as for any run
        }
        String no = StoredConfig.refusal(stored, what);
        if (no != null) throw RunException.conflict("run " + id + " is " + no);
    }

    /** A run the live hub can stream: one whose status.json cannot be read has nothing to say (it is listed as failed). */
    public void requireStreamable(String id) {
        requireRun(id);
        if (EffectiveStatus.isUnreadable(state(id)))
            throw RunException.conflict("run " + id + " has an unreadable status.json: there is nothing to stream (it is listed as failed)");
    }

    /** A malformed id (path tricks included) is rejected before the disk is touched; an unknown one is 404. */
    public void requireRun(String id) {
        if (!RunStore.validId(id)) throw RunException.invalid("id", "must match [a-z0-9-]{1,64} (got " + abbreviate(id) + ")");
        if (!store.exists(id)) throw RunException.notFound("no run with id " + id);
    }

    // The store's exceptions end here: callers of this service see RunException (with its status) or a server fault.

    /** A reader's answer; a run deleted meanwhile is 404 like one that never was. */
    private <T> T read(String id, java.util.function.Function<trainwatch.store.RunReader, T> f) {
        try {
            return readers.with(id, f);
        } catch (RunNotFoundException e) {
            throw gone(id);
        }
    }

    private StatusRecord state(String id) {
        try {
            return EffectiveStatus.read(store, id);
        } catch (RunNotFoundException e) {
            throw gone(id);
        }
    }

    private static RunException gone(String id) {
        return RunException.notFound("no run with id " + id);
    }

    private static String abbreviate(String id) {
        if (id == null) return "null";
        return id.length() > 80 ? id.substring(0, 80) + "..." : id;
    }
}
