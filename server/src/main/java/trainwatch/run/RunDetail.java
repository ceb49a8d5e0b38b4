package trainwatch.run;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.AlertView;
import trainwatch.json.CheckView;

/**
 * GET /api/runs/{id}: one run in full. {@code config} is the run's config as stored (its keys are
 * the config format's, docs/config.md); {@code latest} maps each tag to its newest value;
 * {@code resumedAt} the steps it was resumed from, oldest first; {@code hasLog} whether a trainer log exists;
 * {@code remote} where a run sent through the ingest API comes from (null for a launched run).
 */
public record RunDetail(
        String id,
        String name,
        String status,
        String reason,
        long created,
        long updated,
        long pid,
        long seq,
        JsonNode config,
        Progress progress,
        Map<String, Double> latest,
        Double bestValAcc,
        Long bestValAccStep,
        List<String> tags,
        int filterSteps,
        List<CheckView> checks,
        List<AlertView> alerts,
        long diskBytes,
        List<Long> resumedAt,
        boolean hasLog,
        RemoteOrigin remote,
        /* who started it (token or proxy user name), null when nobody was known */
        String owner,
        /* trainwatch's trainer can train its config (checks, seeds, clone): false for a remote run with its client's own config */
        boolean trainable) {

    /** total = planned iterations when the config tells them, else null. */
    public record Progress(long step, Long total) {}
}
