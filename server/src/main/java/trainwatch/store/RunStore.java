package trainwatch.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import trainwatch.event.RunStatus;

/**
 * The run store: one directory per run under a root (DESIGN.md "Run lifecycle",
 * docs/run-format.md). Never imports Javalin or ND4J.
 */
public final class RunStore {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

    private final Path root;
    private final Clock clock;

    public RunStore(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** True for ids of the form [a-z0-9-]{1,64}; everything else (path tricks included) is rejected before touching the disk. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** A fresh id: time + random, e.g. 20261126-162433-k3f9. */
    public String newId() {
        throw new IllegalStateException("being written (store helper)");
    }

    /** Creates runs/<id>/ atomically with config.json and status.json (the given initial status). */
    public Path create(String id, String configJson, RunStatus initial, String reason) {
        throw new IllegalStateException("being written (store helper)");
    }

    /** Ids of every run directory, newest first. */
    public List<String> ids() {
        throw new IllegalStateException("being written (store helper)");
    }

    public boolean exists(String id) {
        throw new IllegalStateException("being written (store helper)");
    }

    public Path dir(String id) {
        if (!validId(id)) throw new IllegalArgumentException("invalid run id");
        return root.resolve(id);
    }

    /** Read side; many readers may be open while one writer appends (also from another process). */
    public RunReader reader(String id) {
        throw new IllegalStateException("being written (store helper)");
    }

    /** Write side: takes the trainer lock, cuts a torn tail back, fixes summaries. */
    public RunWriter openWriter(String id) {
        throw new IllegalStateException("being written (store helper)");
    }

    /** Current status.json of a run. */
    public RunState state(String id) {
        throw new IllegalStateException("being written (store helper)");
    }

    /** Overwrites status.json atomically (used by the server for queued/interrupted only). */
    public void writeState(String id, RunState state) {
        throw new IllegalStateException("being written (store helper)");
    }

    /** True while a live process holds the run's trainer lock. */
    public boolean trainerAlive(String id) {
        throw new IllegalStateException("being written (store helper)");
    }

    public void delete(String id) {
        throw new IllegalStateException("being written (store helper)");
    }
}
