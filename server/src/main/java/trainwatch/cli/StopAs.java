package trainwatch.cli;

import java.nio.file.Path;
import java.util.function.Supplier;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;
import trainwatch.store.StopRequest;

/**
 * The trainer's writer, except that a {@code stopped} status becomes the status a stop asked for
 * (runs/&lt;id&gt;/stop.json, e.g. {@code pruned} with the rung and threshold as reason): the trainer
 * itself knows only that it was told to stop.
 */
final class StopAs implements RunWriter {
    private final RunWriter out;
    private final Supplier<StopRequest> request;

    StopAs(RunWriter out, Supplier<StopRequest> request) {
        this.out = out;
        this.request = request;
    }

    @Override
    public long status(RunStatus status, String reason) {
        if (status == RunStatus.STOPPED) {
            StopRequest as = request.get();
            if (as != null) return out.status(as.status(), as.reason());
        }
        return out.status(status, reason);
    }

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        return out.scalars(step, tags, values);
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        return out.filters(step, shape, data);
    }

    @Override
    public long alert(long step, String kind, String tag, String message, String advice) {
        return out.alert(step, kind, tag, message, advice);
    }

    @Override
    public long check(String check, String outcome, String summary, String detailsJson) {
        return out.check(check, outcome, summary, detailsJson);
    }

    @Override
    public Path checkpointDir() {
        return out.checkpointDir();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }
}
