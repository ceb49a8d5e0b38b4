package trainwatch.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of the run list (GET /api/runs, /api/live): null where a run has no value
 * yet. Values may be NaN/Infinity (sent as strings). Equal summaries mean "nothing changed".
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
        @JsonProperty("val_acc") Double valAcc,
        @JsonProperty("best_val_acc") Double bestValAcc,
        @JsonProperty("best_val_acc_step") Long bestValAccStep) {

    boolean isFinal() {
        return !status.equals("queued") && !status.equals("running");
    }
}
