package trainwatch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import trainwatch.client.TrainwatchClient;
import trainwatch.event.RunStatus;
import trainwatch.ingest.IngestService;
import trainwatch.store.RunWriter;

/**
 * The trainer's RunWriter for `train --remote`: every record goes through the ingest client (spooled,
 * batched, sent exactly once) instead of into a local run directory; the server is the run's writer.
 * Checkpoints stay local. Returns the client's record numbers as seqs.
 */
final class RemoteRunWriter implements RunWriter {
    private final TrainwatchClient client;
    private final Path checkpoints;
    private long seq;

    RemoteRunWriter(TrainwatchClient client, Path checkpoints) {
        this.client = client;
        this.checkpoints = checkpoints;
    }

    @Override
    public long scalars(long step, String[] tags, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i++) m.put(tags[i], values[i]);
        client.log(step, m);
        return seq++;
    }

    @Override
    public long filters(long step, int[] shape, float[] data) {
        client.logFilters(step, shape, data);
        return seq++;
    }

    /** running is the server's to record (the run is running while its trainer sends); a final status ends the run. */
    @Override
    public long status(RunStatus status, String reason) {
        if (!status.isFinal()) return seq;
        String wire = status == RunStatus.INTERRUPTED || status == RunStatus.PRUNED ? "stopped" : status.wire();
        client.finish(wire, status.wire().equals(wire) ? reason : status.wire() + (reason == null || reason.isEmpty() ? "" : ": " + reason));
        return seq++;
    }

    @Override
    public long alert(long step, String kind, String tag, String message, String advice) {
        // the server computes these on the scalars it receives, as for any remote run: sending them too would store each twice
        if (IngestService.SERVER_ALERT_KINDS.contains(kind)) return seq;
        client.alert(step, kind, tag, message, advice);
        return seq++;
    }

    @Override
    public long check(String check, String outcome, String summary, String detailsJson) {
        client.check(check, outcome, summary, detailsJson);
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
        // the client batches on its own thread
    }

    @Override
    public void close() {
        client.close();
    }
}
