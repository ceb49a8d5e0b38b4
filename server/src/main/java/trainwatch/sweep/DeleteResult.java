package trainwatch.sweep;

/** DELETE /api/sweeps/{id}: {"deleted": id, "runs_deleted": N}. */
public record DeleteResult(String deleted, int runsDeleted) {}
