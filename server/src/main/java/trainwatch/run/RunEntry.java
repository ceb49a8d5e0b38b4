package trainwatch.run;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One run as the run list knows it (GET /api/runs, /api/live, runs/.index/summaries.jsonl):
 * a few hundred bytes whatever the run's length, so thousands of finished runs cost the
 * server a small map, not open readers. Null where a run has no value yet; loss and
 * val_acc may be NaN/Infinity (sent as strings). Equal entries mean "nothing changed".
 * {@code remote}: where a run sent through the ingest API comes from, null for a launched run.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunEntry(
        String id,
        String name,
        String dataset,
        String status,
        String reason,
        String configDigest,
        long created,
        long updated,
        long step,
        Long totalSteps,
        long seq,
        Double loss,
        Double valAcc,
        Double bestValAcc,
        Long bestValAccStep,
        List<String> tags,
        String owner,
        String sweep,
        boolean archived,
        long diskBytes,
        RemoteOrigin remote) {

    public RunEntry {
        name = name == null ? "" : name;
        reason = reason == null ? "" : reason;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isLive() {
        return status.equals("queued") || status.equals("running");
    }

    RunEntry withArchived(boolean a) {
        return new RunEntry(id, name, dataset, status, reason, configDigest, created, updated, step, totalSteps, seq, loss, valAcc,
                bestValAcc, bestValAccStep, tags, owner, sweep, a, diskBytes, remote);
    }
}
