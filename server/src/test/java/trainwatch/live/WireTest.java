package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunEvent;
import trainwatch.event.Scalars;
import trainwatch.json.Json;

class WireTest {
    private static Scalars rec(long seq, long step, String[] tags, double... values) {
        return new Scalars(seq, step, 5000 + step, tags, values);
    }

    @Test
    void records_of_one_step_merge_into_one_column_entry_with_null_for_missing_tags() {
        List<RunEvent> events = List.of(
                rec(1, 0, new String[] {"loss", "train_acc"}, 1.1, 0.3),
                rec(2, 0, new String[] {"val_acc"}, 0.25),
                rec(3, 1, new String[] {"loss"}, 1.0));
        List<Frame> frames = Wire.frames(events, 100);
        assertEquals(1, frames.size());
        JsonNode m = Json.tree(frames.get(0).text());
        assertEquals("scalars", m.get("type").asText());
        assertEquals(3, m.get("seq").asLong());
        assertEquals("[0,1]", m.get("step").toString());
        assertEquals("[5000,5001]", m.get("t").toString());
        assertEquals("[1.1,1.0]", m.path("values").path("loss").toString());
        assertEquals("[0.25,null]", m.path("values").path("val_acc").toString());
        assertEquals("[0.3,null]", m.path("values").path("train_acc").toString());
    }

    @Test
    void non_finite_values_travel_as_strings_never_as_zero() {
        Frame f = Wire.frames(List.of(rec(7, 3, new String[] {"a", "b", "c"}, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)), 10).get(0);
        assertTrue(f.text().contains("\"a\":[\"NaN\"]"), f.text());
        assertTrue(f.text().contains("\"b\":[\"Infinity\"]"), f.text());
        assertTrue(f.text().contains("\"c\":[\"-Infinity\"]"), f.text());
    }

    @Test
    void rest_answers_encode_non_finite_doubles_the_same_way() {
        String json = Json.write(java.util.Map.of("min", new double[] {Double.NaN, 1.5, Double.NEGATIVE_INFINITY}, "loss", Double.POSITIVE_INFINITY));
        assertTrue(json.contains("\"min\":[\"NaN\",1.5,\"-Infinity\"]"), json);
        assertTrue(json.contains("\"loss\":\"Infinity\""), json);
    }

    @Test
    void an_alert_between_scalars_splits_the_batch_so_messages_stay_in_seq_order() {
        List<RunEvent> events = List.of(
                rec(1, 0, new String[] {"loss"}, 1),
                new Alert(2, 0, 1, "loss_exploding", "loss", "m", "a"),
                rec(3, 1, new String[] {"loss"}, 2));
        List<Frame> frames = Wire.frames(events, 100);
        assertEquals(List.of(1L, 2L, 3L), frames.stream().map(Frame::seq).toList());
        assertEquals("alert", Json.tree(frames.get(1).text()).get("type").asText());
    }

    @Test
    void alert_and_check_messages_are_the_rest_views_fields_after_the_type() {
        Alert a = new Alert(4, 3, 1000, "plateau", "val_acc", "no progress", "lower the rate");
        CheckResult fromFile = new CheckResult(-1, 2000, "overfit", "pass", "loss 0.01", "{\"iterations\":120}");

        assertEquals("{\"type\":\"alert\",\"seq\":4,\"step\":3,\"t\":1000,\"kind\":\"plateau\",\"severity\":\"info\",\"tag\":\"val_acc\","
                + "\"message\":\"no progress\",\"advice\":\"lower the rate\"}", Wire.single(a).text());
        assertEquals("{\"type\":\"check\",\"t\":2000,\"check\":\"overfit\",\"outcome\":\"pass\",\"summary\":\"loss 0.01\","
                + "\"details\":{\"iterations\":120}}", Wire.check(fromFile, -1).text(), "a check file's result has no seq");
    }

    @Test
    void a_big_batch_is_cut_into_messages_of_at_most_max_records() {
        List<RunEvent> events = new java.util.ArrayList<>();
        for (int i = 1; i <= 25; i++) events.add(rec(i, i - 1, new String[] {"loss"}, i));
        List<Frame> frames = Wire.frames(events, 10);
        assertEquals(List.of(10L, 20L, 25L), frames.stream().map(Frame::seq).toList());
    }
}
