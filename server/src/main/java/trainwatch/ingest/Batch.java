package trainwatch.ingest;

import java.util.List;

/** A parsed POST /api/ingest/runs/{id}/records body: record i has client seq first + i. */
public record Batch(long first, List<IngestRecord> records) {}
