package trainwatch.sweep;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.RunException;
import trainwatch.run.Executor;
import trainwatch.search.Goal;
import trainwatch.store.Best;
import trainwatch.store.RunNotFoundException;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.Series;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;

/**
 * Trials as real runs: the store creates them, the supervisor queues and starts their
 * trainers, the run readers follow their records. Epochs are counted from steps: an epoch
 * is ceil(trainSize / batchSize) iterations of the run's config.json; the metric "after
 * epoch e" is the newest value of the tag at a step below e * that (val_* tags are recorded
 * every evalEvery iterations and at the last one, so it may be an earlier evaluation).
 */
public final class StoreTrials implements Trials {
    /** How runs are read: the server's reader pool (ReaderPool::with), or a reader opened per call. */
    public interface Reads {
        <T> T with(String run, Function<RunReader, T> f);
    }

    private final RunStore store;
    private final Executor supervisor;
    private final Reads reads;
    private final Consumer<String> created;
    private final Consumer<String> deleter;

    /** {@code created} is told of each new run (the run index lists it at once); {@code deleter} deletes an ended run. */
    public StoreTrials(RunStore store, Executor supervisor, Reads reads, Consumer<String> created, Consumer<String> deleter) {
        this.store = store;
        this.supervisor = supervisor;
        this.reads = reads;
        this.created = created;
        this.deleter = deleter;
    }

    /** Opens a reader for each call (the command line has no pool). */
    public static Reads opening(RunStore store) {
        return new Reads() {
            @Override
            public <T> T with(String run, Function<RunReader, T> f) {
                try (RunReader r = store.reader(run)) {
                    return f.apply(r);
                }
            }
        };
    }

    @Override
    public String newRunId() {
        return store.newId();
    }

    @Override
    public boolean exists(String run) {
        return store.exists(run);
    }

    @Override
    public void create(String run, String configJson, String sweepJson) {
        store.create(run, configJson, RunStatus.QUEUED, "", Map.of("sweep.json", sweepJson.getBytes(StandardCharsets.UTF_8)));
        created.accept(run);
        supervisor.submit(run);
    }

    @Override
    public StatusRecord state(String run) {
        StatusRecord s = store.state(run);
        if (s.status().isFinal()) return s;
        // the trainer logs its final status just before it rewrites status.json
        return reads.with(run, r -> s.orNewerLogged(r.statusHistory()));
    }

    @Override
    public void stop(String run, StopRequest as) {
        try {
            supervisor.stop(run, as);
        } catch (RunException | RunNotFoundException e) {
            // ended meanwhile, or no trainer to signal yet: the next look at its status tells
        }
    }

    @Override
    public List<Double> epochValues(String run, String tag, int fromEpoch) {
        return reads.with(run, r -> {
            long per = perEpoch(r);
            int done = completed(r, per);
            List<Double> out = new ArrayList<>();
            for (int e = Math.max(1, fromEpoch); e <= done; e++) {
                Series s = r.series(tag, 1, Long.MIN_VALUE, e * per - 1);
                out.add(s.step().length == 0 ? null : s.last()[s.last().length - 1]);
            }
            return out;
        });
    }

    @Override
    public Double best(String run, String tag, Goal goal) {
        return reads.with(run, r -> {
            Best b = r.best(tag, goal == Goal.MAX ? trainwatch.store.Goal.MAX : trainwatch.store.Goal.MIN);
            return b == null ? null : b.value();
        });
    }

    @Override
    public int epochs(String run) {
        return reads.with(run, r -> completed(r, perEpoch(r)));
    }

    @Override
    public boolean delete(String run) {
        if (!store.exists(run)) return false;
        deleter.accept(run);
        return true;
    }

    private static long perEpoch(RunReader r) {
        JsonNode c = Json.tree(r.configJson());
        if (c == null) return 0;
        long train = c.path("trainSize").asLong(0), batch = c.path("batchSize").asLong(0);
        return train > 0 && batch > 0 ? (train + batch - 1) / batch : 0;
    }

    private static int completed(RunReader r, long per) {
        if (per <= 0 || !r.tags().contains("loss")) return 0;
        long last = r.latestStep("loss");
        JsonNode c = Json.tree(r.configJson());
        int epochs = c == null ? Integer.MAX_VALUE : c.path("epochs").asInt(Integer.MAX_VALUE);
        return (int) Math.min(epochs, (last + 1) / per);
    }
}
