package trainwatch.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/** A RunWriter test double that keeps alerts and checks in memory. */
final class RecordingWriter implements RunWriter {
    final List<Alert> alerts = new ArrayList<>();
    final List<CheckResult> checks = new ArrayList<>();
    private long seq;

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        return seq++;
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        return seq++;
    }

    @Override
    public long status(RunStatus status, String reason) {
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
        return Path.of("checkpoints");
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    List<Alert> alerts(String kind) {
        return alerts.stream().filter(a -> a.kind().equals(kind)).toList();
    }
}
