package trainwatch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;
import trainwatch.store.RunWriter;

/**
 * The tests' one in-memory {@link RunWriter}: keeps every record (seq from 0, wall time from the
 * given clock) and puts checkpoints in a directory of the test's. For code that writes a run
 * (trainer, lab) without a run directory; the store's own writer has its own tests.
 */
public final class MemoryRunWriter implements RunWriter {
    public final List<Scalars> scalars = new ArrayList<>();
    public final List<FilterSnapshot> filters = new ArrayList<>();
    public final List<StatusChange> statuses = new ArrayList<>();
    public final List<Alert> alerts = new ArrayList<>();
    public final List<CheckResult> checks = new ArrayList<>();
    public int flushes;
    private final Path checkpoints;
    private final Clock clock;
    private long seq;

    /** Checkpoints under {@code dir}/checkpoints; a frozen clock (every record at the same wall time). */
    public MemoryRunWriter(Path dir) {
        this(dir, TestClock.frozen());
    }

    public MemoryRunWriter(Path dir, Clock clock) {
        this.checkpoints = dir.resolve("checkpoints");
        this.clock = clock;
    }

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        scalars.add(new Scalars(seq, step, clock.millis(), tags.clone(), values.clone()));
        return seq++;
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        filters.add(new FilterSnapshot(seq, step, clock.millis(), shape.clone(), data.clone()));
        return seq++;
    }

    @Override
    public long status(RunStatus status, String reason) {
        statuses.add(new StatusChange(seq, clock.millis(), status, reason));
        return seq++;
    }

    @Override
    public long alert(long step, String kind, String tag, String message, String advice) {
        alerts.add(new Alert(seq, step, clock.millis(), kind, tag, message, advice));
        return seq++;
    }

    @Override
    public long check(String check, String outcome, String summary, String detailsJson) {
        checks.add(new CheckResult(seq, clock.millis(), check, outcome, summary, detailsJson));
        return seq++;
    }

    @Override
    public Path checkpointDir() {
        try {
            return Files.createDirectories(checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {}

    /** {step, value} of one tag in step order (steps without it left out). */
    public List<double[]> series(String tag) {
        List<double[]> s = new ArrayList<>();
        for (Scalars r : scalars) {
            Double v = r.value(tag);
            if (v != null) s.add(new double[] {r.step(), v});
        }
        return s;
    }

    /** The values of one tag in step order (steps without it left out). */
    public double[] values(String tag) {
        return scalars.stream().map(s -> s.value(tag)).filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    public Double value(long step, String tag) {
        for (Scalars r : scalars) if (r.step() == step) return r.value(tag);
        return null;
    }

    public RunStatus finalStatus() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1).status();
    }

    public CheckResult check(String name) {
        for (CheckResult c : checks) if (c.check().equals(name)) return c;
        return null;
    }

    public List<Alert> alerts(String kind) {
        return alerts.stream().filter(a -> a.kind().equals(kind)).toList();
    }
}
