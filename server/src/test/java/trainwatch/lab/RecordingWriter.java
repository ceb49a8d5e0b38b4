package trainwatch.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.store.RunWriter;

/** A RunWriter test double that keeps alerts and checks in memory. */
final class RecordingWriter implements RunWriter {
    final List<Alert> alerts = new ArrayList<>();
    final List<CheckResult> checks = new ArrayList<>();
    final List<Scalars> scalars = new ArrayList<>();
    final List<RunStatus> statuses = new ArrayList<>();
    final Path checkpoints;
    private long seq;

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        scalars.add(new Scalars(seq, step, 0, tags.clone(), values.clone()));
        return seq++;
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        return seq++;
    }

    @Override
    public long status(RunStatus status, String reason) {
        statuses.add(status);
        return seq++;
    }

    @Override
    public long alert(long step, String kind, String tag, String message, String advice) {
        alerts.add(new Alert(seq, step, 0, kind, tag, message, advice));
        return seq++;
    }

    @Override
    public long check(String check, String outcome, String summary, String detailsJson) {
        checks.add(new CheckResult(seq, 0, check, outcome, summary, detailsJson));
        return seq++;
    }

    @Override
    public Path checkpointDir() {
        return checkpoints;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    RecordingWriter() {
        this(Path.of("target", "lab-checkpoints"));
    }

    RecordingWriter(Path checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Values of one tag in step order (steps without it left out). */
    double[] series(String tag) {
        return scalars.stream().map(s -> s.value(tag)).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    List<Alert> alerts(String kind) {
        return alerts.stream().filter(a -> a.kind().equals(kind)).toList();
    }
}
