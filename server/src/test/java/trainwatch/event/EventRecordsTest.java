package trainwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventRecordsTest {
    @Test
    void metric_tags_of_the_design_are_valid_tag_names() {
        for (String t : new String[] {"loss", "reg_loss", "lr/conv1", "update_ratio/dense1", "a.b-c/d_e/f"}) {
            Scalars s = new Scalars(1, 0, 0, new String[] {t}, new double[] {1});
            assertEquals(1.0, s.value(t));
        }
    }

    @Test
    void malformed_tag_names_are_rejected() {
        for (String t : new String[] {"", "/loss", "loss/", "a//b", "lr/<img>", "a b", "x".repeat(201)}) {
            assertThrows(IllegalArgumentException.class, () -> new Scalars(1, 0, 0, new String[] {t}, new double[] {1}), t);
        }
    }

    @Test
    void scalars_keep_non_finite_values_as_they_are() {
        Scalars s = new Scalars(3, 2, 0, new String[] {"loss", "train_acc"}, new double[] {Double.NaN, Double.POSITIVE_INFINITY});
        assertTrue(Double.isNaN(s.value("loss")));
        assertEquals(Double.POSITIVE_INFINITY, s.value("train_acc"));
        assertNull(s.value("val_acc"));
    }

    @Test
    void records_check_their_invariants() {
        assertThrows(IllegalArgumentException.class, () -> new Scalars(-1, 0, 0, new String[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new Scalars(1, 0, 0, new String[] {"loss"}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new FilterSnapshot(1, 0, 0, new int[] {2, 1, 3}, null));
        assertThrows(IllegalArgumentException.class, () -> new FilterSnapshot(1, 0, 0, new int[] {2, 1, 3, 3}, new float[5]));
        assertEquals(18, new FilterSnapshot(1, 0, 0, new int[] {2, 1, 3, 3}, new float[18]).data().length);
    }

    @Test
    void only_queued_and_running_are_not_final_and_statuses_travel_in_lower_case() {
        for (RunStatus s : RunStatus.values()) {
            assertEquals(s != RunStatus.QUEUED && s != RunStatus.RUNNING, s.isFinal());
            assertEquals(s, RunStatus.fromWire(s.wire()));
            assertEquals(s.wire(), s.wire().toLowerCase());
        }
    }
}
