package trainwatch.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;

/** The REST views of alerts and checks (GET /api/runs/{id}, /alerts): the field set the live messages and the webhook share. */
class EventViewsTest {
    static final Alert ALERT = new Alert(4, 3, 1000, "plateau", "val_acc", "no progress", "lower the rate");

    @Test
    void an_alert_view_has_seq_step_t_kind_severity_tag_message_advice_in_that_order() {
        assertEquals("{\"seq\":4,\"step\":3,\"t\":1000,\"kind\":\"plateau\",\"severity\":\"info\",\"tag\":\"val_acc\",\"message\":\"no progress\",\"advice\":\"lower the rate\"}",
                Json.write(AlertView.of(ALERT)));
    }

    @Test
    void record_components_become_snake_case_keys_and_non_finite_numbers_strings() {
        record Row(String id, Double bestValAcc, Long bestValAccStep, double loss) {}
        assertEquals("{\"id\":\"r\",\"best_val_acc\":\"NaN\",\"best_val_acc_step\":null,\"loss\":\"-Infinity\"}",
                Json.write(new Row("r", Double.NaN, null, Double.NEGATIVE_INFINITY)));
    }

    @Test
    void a_check_view_carries_its_details_as_json_or_as_the_raw_text_when_they_are_not_json() {
        CheckResult parsed = new CheckResult(9, 2000, "overfit", "pass", "loss 0.01", "{\"iterations\":120}");
        CheckResult raw = new CheckResult(-1, 2000, "gradients", "fail", "broken", "not json");

        assertEquals("{\"seq\":9,\"t\":2000,\"check\":\"overfit\",\"outcome\":\"pass\",\"summary\":\"loss 0.01\",\"details\":{\"iterations\":120}}",
                Json.write(CheckView.of(parsed, parsed.seq())));
        assertEquals("{\"seq\":-1,\"t\":2000,\"check\":\"gradients\",\"outcome\":\"fail\",\"summary\":\"broken\",\"details\":\"not json\"}",
                Json.write(CheckView.of(raw, raw.seq())));
        assertEquals("{\"t\":2000,\"check\":\"gradients\",\"outcome\":\"fail\",\"summary\":\"broken\",\"details\":\"not json\"}",
                Json.write(CheckView.of(raw, null)), "a result from a check file carries no seq on the live stream");
    }
}
