package trainwatch.run;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One page of GET /api/runs. next_cursor null on the last page; total = runs matching
 * every filter; counts = runs per status matching every filter but status; indexing =
 * the server is still checking run directories at start (the list is filling in).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunPage(List<RunEntry> runs, String nextCursor, int total, Map<String, Integer> counts, boolean indexing) {}
