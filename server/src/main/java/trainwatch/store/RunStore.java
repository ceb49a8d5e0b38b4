package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.RunStatus;

/**
 * The run store: one directory per run under a root (docs/run-format.md).
 * Never imports Javalin or ND4J.
 */
public final class RunStore {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;
    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    private final Clock clock;
    private volatile FileOps ops;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Unwritten> unwritten = new java.util.concurrent.ConcurrentHashMap<>();

    public RunStore(Path root, Clock clock) {
        this(root, clock, FileOps.DISK);
    }

    /** A store whose file changes go through {@code ops} (tests inject crashes and full disks there). */
    public RunStore(Path root, Clock clock, FileOps ops) {
        this.root = root;
        this.clock = clock;
        this.ops = ops;
    }

    /** Tests inject faults into a running server's store (writers opened from now on use {@code o}). */
    public void useFileOps(FileOps o) {
        this.ops = o;
    }

    public Path root() {
        return root;
    }

    /** Bytes a new write could still use on the file system holding the runs (for refusing a run up front on a full disk). */
    public long freeBytes() {
        try {
            return ops.usableSpace(Files.exists(root) ? root : root.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True for ids of the form [a-z0-9-]{1,64}; everything else (path tricks included) is rejected before touching the disk. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** A fresh id: time + random, e.g. 20261126-162433-k3f9. */
    public String newId() {
        String time = STAMP.format(clock.instant());
        while (true) {
            StringBuilder sb = new StringBuilder(time).append('-');
            for (int i = 0; i < 4; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            String id = sb.toString();
            if (!Files.exists(root.resolve(id))) return id;
        }
    }

    /** Creates runs/<id>/ atomically with config.json and status.json (the given initial status). */
    public Path create(String id, String configJson, RunStatus initial, String reason) {
        return create(id, configJson, initial, reason, Map.of());
    }

    /**
     * As {@link #create(String, String, RunStatus, String)}, with more files (name -> content, e.g. a sweep trial's
     * sweep.json) written into the directory before it appears: a reader never sees the run without them.
     */
    public Path create(String id, String configJson, RunStatus initial, String reason, Map<String, byte[]> files) {
        for (String name : files.keySet())
            if (!name.matches("[a-z0-9_-]+\\.json") || name.equals("config.json") || name.equals("status.json"))
                throw new IllegalArgumentException("not an extra run file: " + name);
        Path dir = dir(id);
        if (Files.exists(dir)) throw new IllegalStateException("run " + id + " already exists");
        Path tmp = root.resolve(".creating-" + id + "-" + Long.toHexString(random.nextLong()));
        try {
            Files.createDirectories(tmp);
            RunPaths p = new RunPaths(tmp);
            AtomicFiles.write(ops, p.config(), configJson.getBytes(StandardCharsets.UTF_8), true);
            long now = clock.millis();
            StatusFile.write(ops, p.status(), new StatusRecord(initial, reason, now, 0, now));
            for (Map.Entry<String, byte[]> f : files.entrySet()) AtomicFiles.write(ops, tmp.resolve(f.getKey()), f.getValue(), true);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE); // no REPLACE: a run that appeared meanwhile wins
            ops.syncDir(root);
            return dir;
        } catch (IOException e) {
            deleteTree(tmp);
            if (Files.exists(dir)) throw new IllegalStateException("run " + id + " already exists");
            throw IoErrors.unchecked(e, root, ops);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Names of the run directories (valid ids), in no order, reading nothing inside them: cheap enough to call
     * every tick with thousands of runs (a directory being created or deleted may be named; callers tolerate it).
     */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (validId(id)) out.add(id);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Ids of every run directory, newest first (by creation time, then id). */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        Map<String, Long> created = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (!validId(id) || !Files.isRegularFile(p.resolve("status.json"))) continue;
                ids.add(id);
                long c;
                try {
                    StatusRecord s = StatusFile.read(p.resolve("status.json"));
                    c = s == null ? 0 : s.createdMs();
                } catch (IllegalStateException e) {
                    c = 0;
                }
                created.put(id, c);
            }
        } catch (NoSuchFileException e) {
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ids.sort(Comparator.comparing((String id) -> created.get(id)).thenComparing(Comparator.naturalOrder()).reversed());
        return ids;
    }

    public boolean exists(String id) {
        return validId(id) && Files.isRegularFile(root.resolve(id).resolve("status.json"));
    }

    public Path dir(String id) {
        if (!validId(id)) throw new IllegalArgumentException("invalid run id: must match [a-z0-9-]{1,64}");
        return root.resolve(id);
    }

    /** Read side; many readers may be open while one writer appends (also from another process). */
    public RunReader reader(String id) {
        return new FileRunReader(id, existing(id));
    }

    /** Write side: takes the trainer lock, cuts a torn tail back, fixes summaries. */
    public RunWriter openWriter(String id) {
        return WriterOpening.open(id, existing(id), clock, ops);
    }

    /**
     * Write side for a run resumed from a checkpoint taken after step
     * {@code lastKeptStep} (-1: from scratch): records of later steps are
     * superseded (cut from the log, their filter snapshots deleted, summaries
     * rebuilt), a RESUME record with from_step = lastKeptStep + 1 is appended,
     * and seq continues above the highest seq the run ever had. The next
     * scalars must have step > lastKeptStep. Crash-safe at every step (a
     * pending resume is finished by the next open).
     */
    public RunWriter openForResume(String id, long lastKeptStep) {
        return WriterOpening.openForResume(id, existing(id), clock, ops, lastKeptStep);
    }

    /**
     * Repairs a run whose trainer is gone (cuts a torn tail, rebuilds summaries
     * ahead of the log) without changing its status; returns what was found.
     * Throws RunBusyException while a trainer holds the lock.
     */
    public List<String> repair(String id) {
        RunPaths p = existing(id);
        if (TrainerLock.held(p.lock())) throw new RunBusyException("run " + id + " is being written by its trainer");
        try (FileRunWriter w = WriterOpening.open(id, p, clock, ops)) {
            return w.problems();
        }
    }

    /** Current status.json of a run (or a state {@link #writeStateOrKeep} could not write yet, written now if it can be). */
    public StatusRecord state(String id) {
        StatusRecord s = StatusFile.read(existing(id).status());
        if (s == null) throw new RunNotFoundException(id);
        Unwritten u = unwritten.get(id);
        if (u == null) return s;
        if (s.updatedMs() != u.diskUpdatedMs()) { // the file changed since (a trainer took over): it wins
            unwritten.remove(id, u);
            return s;
        }
        try {
            StatusFile.write(ops, existing(id).status(), u.state());
            unwritten.remove(id, u);
        } catch (RuntimeException e) {
            // still cannot write (disk full): keep answering from memory
        }
        return u.state();
    }

    /**
     * Like {@link #writeState}, but when status.json cannot be rewritten (a full disk) the state is kept in memory:
     * {@link #state} answers with it and writes it as soon as it can. Returns true when it was written now.
     */
    public boolean writeStateOrKeep(String id, StatusRecord state) {
        try {
            writeState(id, state);
            unwritten.remove(id);
            return true;
        } catch (RuntimeException e) {
            StatusRecord disk = StatusFile.read(existing(id).status());
            unwritten.put(id, new Unwritten(state, disk == null ? -1 : disk.updatedMs()));
            return false;
        }
    }

    private record Unwritten(StatusRecord state, long diskUpdatedMs) {}

    /** Overwrites status.json atomically (used by the server for queued/interrupted only). */
    public void writeState(String id, StatusRecord state) {
        StatusFile.write(ops, existing(id).status(), state);
    }

    /**
     * Records the final status a stop of this run asks for (runs/&lt;id&gt;/stop.json), before the trainer is signalled:
     * the trainer writes it instead of {@code stopped} (docs/run-format.md).
     */
    public void requestStop(String id, StopRequest request) {
        StopRequest.write(ops, existing(id).dir(), request);
    }

    /** The stop asked for with {@link #requestStop}, or null for a plain stop. */
    public StopRequest stopRequest(String id) {
        return StopRequest.read(existing(id).dir());
    }

    /** Forgets a stop asked for in an earlier life of the run (it is about to train again). */
    public void clearStopRequest(String id) {
        try {
            java.nio.file.Files.deleteIfExists(existing(id).dir().resolve(StopRequest.FILE));
        } catch (java.io.IOException e) {
            throw IoErrors.unchecked(e, existing(id).dir(), ops);
        }
    }

    /** True while a live process holds the run's trainer lock. */
    public boolean trainerAlive(String id) {
        return TrainerLock.held(existing(id).lock());
    }

    /** Deletes a run (refused while its trainer is alive). The directory is renamed away first, so no half-deleted run is ever listed. */
    public void delete(String id) {
        RunPaths p = existing(id);
        if (TrainerLock.held(p.lock())) throw new RunBusyException("run " + id + " is still running; stop it first");
        Path gone = root.resolve(".deleting-" + id + "-" + Long.toHexString(random.nextLong()));
        try {
            Files.move(p.dir(), gone, StandardCopyOption.ATOMIC_MOVE);
            ops.syncDir(root);
        } catch (IOException e) {
            throw IoErrors.unchecked(e, root, ops);
        }
        deleteTree(gone);
    }

    /**
     * Finishes deletes that a crash or a lack of file descriptors interrupted under {@code dir} (the runs root or the
     * sweeps directory): their directories were renamed to {@code .deleting-*}, so nothing lists them, but they still
     * hold disk space. Returns how many were removed; one that still cannot be removed is left for the next start.
     */
    public static int removeInterruptedDeletes(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".deleting-*")) {
            for (Path gone : s) {
                try {
                    deleteTree(gone);
                    removed++;
                } catch (UncheckedIOException e) {
                    LOG.warn("could not finish deleting {}: {}", gone, e.getCause().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.warn("could not look for interrupted deletes in {}: {}", dir, e.toString());
        }
        return removed;
    }

    private RunPaths existing(String id) {
        Path d = dir(id);
        if (!Files.isDirectory(d)) throw new RunNotFoundException(id);
        return new RunPaths(d);
    }

    private static void deleteTree(Path top) {
        if (!Files.exists(top)) return;
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
