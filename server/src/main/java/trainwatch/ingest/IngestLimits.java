package trainwatch.ingest;

/**
 * What one ingest request may carry (docs/api.md "Ingest limits"), and how long a remote run may stay
 * silent before it reads {@code interrupted}. Generous on purpose: a spool replayed after an outage
 * arrives in few, large batches.
 */
public record IngestLimits(int maxBodyBytes, int maxRecords, int maxTagsPerRow, int maxFilterFloats, long idleTimeoutMs) {
    /** 32 MiB of JSON (after gzip is undone), 50,000 records, 1,000 tags per row, 4M floats per snapshot, 120 s of silence. */
    public static final IngestLimits DEFAULT = new IngestLimits(32 << 20, 50_000, 1_000, 4 << 20, 120_000);

    public IngestLimits {
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + maxBodyBytes);
        if (maxRecords < 1) throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
        if (maxTagsPerRow < 1 || maxTagsPerRow > 0xffff) throw new IllegalArgumentException("maxTagsPerRow must be in 1..65535, got " + maxTagsPerRow);
        if (maxFilterFloats < 1) throw new IllegalArgumentException("maxFilterFloats must be >= 1, got " + maxFilterFloats);
        if (idleTimeoutMs < 1) throw new IllegalArgumentException("idleTimeoutMs must be >= 1, got " + idleTimeoutMs);
    }

    public IngestLimits withIdleTimeoutMs(long v) {
        return new IngestLimits(maxBodyBytes, maxRecords, maxTagsPerRow, maxFilterFloats, v);
    }

    public IngestLimits withMaxRecords(int v) {
        return new IngestLimits(maxBodyBytes, v, maxTagsPerRow, maxFilterFloats, idleTimeoutMs);
    }

    public IngestLimits withMaxBodyBytes(int v) {
        return new IngestLimits(v, maxRecords, maxTagsPerRow, maxFilterFloats, idleTimeoutMs);
    }
}
