package trainwatch.run;

/**
 * One row of the run list (GET /api/runs, /api/live): null where a run has no value
 * yet. Values may be NaN/Infinity (sent as strings). Equal summaries mean "nothing changed".
 * Keys on the wire are the components in snake_case (valAcc -> val_acc).
 */
public record RunSummary(
        String id,
        String name,
        String dataset,
        String status,
        String reason,
        long step,
        long created,
        long updated,
        long seq,
        Double loss,
        Double valAcc,
        Double bestValAcc,
        Long bestValAccStep) {

    boolean isFinal() {
        return !status.equals("queued") && !status.equals("running");
    }
}
