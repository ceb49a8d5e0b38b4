package trainwatch.ensemble;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The wire shapes of /api/ensembles (docs/api.md), snake_case through the one JSON mapper. */
public final class EnsembleViews {
    private EnsembleViews() {}

    /** POST answer: {@code runs} are the runs a seeds ensemble started (empty otherwise). */
    public record Created(String id, String status, List<String> members, List<String> runs) {}

    /** A list row; the figures are null until the evaluation has finished. */
    public record Summary(String id, String name, String status, String reason, long created, String kind, int members,
                          String dataset, Double valAcc, Double meanMemberValAcc, Double bestMemberValAcc) {}

    /** One member with its run's status now (a seeds ensemble waits for these). */
    public record MemberView(String run, String checkpoint, String runStatus) {}

    public record Detail(String id, String name, String status, String reason, long created, EnsembleSpec.Source source,
                         List<MemberView> members, boolean averageParams, boolean hasLog, JsonNode result) {}

    public record Deleted(String id, boolean deleted) {}
}
