package trainwatch.run;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The answer to POST /api/runs/delete: the runs deleted (or, with dry_run, that would be),
 * the disk they held, and the runs left alone with why (live ones are never deleted).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BulkDelete(boolean dryRun, List<String> deleted, long freedBytes, List<Skipped> skipped) {
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Skipped(String id, String reason) {}
}
