package trainwatch.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

/** Test double of the store's writer: keeps every record in memory, checkpoints in a temp dir. */
class MemoryRunWriter implements trainwatch.store.RunWriter {
    final List<Scalars> scalars = new ArrayList<>();
    final List<FilterSnapshot> filters = new ArrayList<>();
    final List<StatusChange> statuses = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<CheckResult> checks = new ArrayList<>();
    private final Path checkpoints;
    private long seq;
    int flushes;

    MemoryRunWriter(Path dir) {
        this.checkpoints = dir.resolve("checkpoints");
    }

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        scalars.add(new Scalars(seq, step, System.currentTimeMillis(), tags, values));
        return seq++;
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        filters.add(new FilterSnapshot(seq, step, System.currentTimeMillis(), shape, data));
        return seq++;
    }

    @Override
    public long status(RunStatus status, String reason) {
        statuses.add(new StatusChange(seq, System.currentTimeMillis(), status, reason));
        return seq++;
    }

    @Override
    public long alert(long step, String kind, String tag, String message, String advice) {
        alerts.add(new Alert(seq, step, System.currentTimeMillis(), kind, tag, message, advice));
        return seq++;
    }

    @Override
    public long check(String check, String outcome, String summary, String detailsJson) {
        checks.add(new CheckResult(seq, System.currentTimeMillis(), check, outcome, summary, detailsJson));
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

    /** Values of one tag in step order, with the steps that carry it. */
    List<double[]> series(String tag) {
        List<double[]> s = new ArrayList<>();
        for (Scalars r : scalars) {
            Double v = r.value(tag);
            if (v != null) s.add(new double[] {r.step(), v});
        }
        return s;
    }

    Double value(long step, String tag) {
        for (Scalars r : scalars) if (r.step() == step) return r.value(tag);
        return null;
    }

    RunStatus finalStatus() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1).status();
    }

    CheckResult check(String name) {
        for (CheckResult c : checks) if (c.check().equals(name)) return c;
        return null;
    }
}
