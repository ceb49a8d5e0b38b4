package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import trainwatch.event.AlertSeverity;
import trainwatch.event.Alert;
import trainwatch.testkit.MemoryRunWriter;

class AlertRulesTest {
    private final AlertRules rules = new AlertRules();
    private final MemoryRunWriter writer = new MemoryRunWriter(Path.of("target", "lab-checkpoints"));

    private void record(long step, String tag, double value) {
        rules.onScalars(step, new String[] {tag}, new double[] {value}, writer);
    }

    @Test
    void a_loss_climbing_past_three_times_its_start_raises_one_exploding_alert() {
        for (int t = 0; t < 50; t++) record(t, "loss", 2.3);
        for (int t = 50; t < 300; t++) record(t, "loss", 2.3 * (1 + (t - 50) * 0.05));
        List<Alert> a = writer.alerts("loss_exploding");
        assertEquals(1, a.size(), writer.alerts.toString());
        assertTrue(a.get(0).step() > 90 && a.get(0).step() < 110, "fires when the smoothed loss passes 6.9: " + a.get(0));
        assertTrue(a.get(0).advice().contains("lower the learning rate"));
        assertEquals(AlertSeverity.CRITICAL, a.get(0).severity());
    }

    @Test
    void a_loss_that_sits_high_after_exploding_is_not_called_a_plateau_until_it_recovers() {
        for (int t = 0; t < 50; t++) record(t, "loss", 2.3);
        for (int t = 50; t < 3000; t++) record(t, "loss", 20.0);
        assertEquals(1, writer.alerts("loss_exploding").size(), writer.alerts.toString());
        assertTrue(writer.alerts("plateau").isEmpty(), "flat, but high after exploding: " + writer.alerts);
        for (int t = 3000; t < 8000; t++) record(t, "loss", 1.0);
        List<Alert> plateau = writer.alerts("plateau");
        assertEquals(1, plateau.size(), "recovered, then flat: a real plateau " + writer.alerts);
        assertTrue(plateau.get(0).step() > 3000, plateau.get(0).toString());
    }

    @Test
    void a_noisy_but_bounded_loss_raises_no_exploding_alert() {
        for (int t = 0; t < 1000; t++) record(t, "loss", 2.3 * (t % 7 == 0 ? 2.5 : 1.0));
        assertTrue(writer.alerts("loss_exploding").isEmpty(), writer.alerts.toString());
    }

    @Test
    void an_update_ratio_below_1e_4_for_100_iterations_says_the_learning_rate_is_likely_too_low_once() {
        for (int t = 0; t < 500; t++) record(t, "update_ratio/conv1", 3e-6);
        List<Alert> a = writer.alerts("update_ratio_low");
        assertEquals(1, a.size(), "once per episode, not every iteration");
        assertEquals(99, a.get(0).step(), "after 100 consecutive iterations");
        assertEquals("update_ratio/conv1", a.get(0).tag());
        assertTrue(a.get(0).message().contains("learning rate likely too low for conv1"), a.get(0).message());
        assertTrue(a.get(0).advice().contains("raise the learning rate"));
        assertEquals(AlertSeverity.WARNING, a.get(0).severity());
    }

    @Test
    void ninety_nine_iterations_out_of_range_then_one_in_range_raise_nothing() {
        for (int t = 0; t < 99; t++) record(t, "update_ratio/dense1", 0.05);
        record(99, "update_ratio/dense1", 1e-3);
        for (int t = 100; t < 199; t++) record(t, "update_ratio/dense1", 0.05);
        assertTrue(writer.alerts.isEmpty(), writer.alerts.toString());
    }

    @Test
    void a_high_ratio_alert_names_its_layer_and_a_new_episode_alerts_again() {
        for (int t = 0; t < 150; t++) record(t, "update_ratio/dense1", 0.05);
        for (int t = 150; t < 250; t++) record(t, "update_ratio/dense1", 1e-3);
        for (int t = 250; t < 400; t++) record(t, "update_ratio/dense1", 0.05);
        List<Alert> a = writer.alerts("update_ratio_high");
        assertEquals(2, a.size());
        assertTrue(a.get(0).message().contains("learning rate likely too high for dense1"), a.get(0).message());
        assertEquals(349, a.get(1).step());
    }

    @Test
    void val_acc_more_than_015_below_train_acc_for_three_evaluations_is_overfitting() {
        for (int e = 0; e < 5; e++) {
            for (int t = e * 50; t < e * 50 + 50; t++) record(t, "train_acc", 0.98);
            record(e * 50 + 49, "val_acc", 0.75);
        }
        List<Alert> a = writer.alerts("overfitting");
        assertEquals(1, a.size(), writer.alerts.toString());
        assertEquals(149, a.get(0).step(), "on the third evaluation");
        assertTrue(a.get(0).advice().contains("regularization"));
    }

    @Test
    void two_evaluations_with_a_gap_then_a_close_one_are_not_overfitting() {
        double[] val = {0.75, 0.75, 0.9, 0.75, 0.75};
        for (int e = 0; e < val.length; e++) {
            for (int t = e * 50; t < e * 50 + 50; t++) record(t, "train_acc", 0.98);
            record(e * 50 + 49, "val_acc", val[e]);
        }
        assertTrue(writer.alerts("overfitting").isEmpty(), writer.alerts.toString());
    }

    @Test
    void a_loss_that_stops_improving_raises_one_plateau_alert_after_the_minimum_length() {
        for (int t = 0; t < 3000; t++) record(t, "loss", t < 300 ? 2.3 - 0.005 * t : 0.8);
        List<Alert> a = writer.alerts("plateau");
        assertEquals(1, a.size(), writer.alerts.toString());
        assertTrue(a.get(0).step() >= 500, "not before the minimum length: " + a.get(0));
        assertTrue(a.get(0).advice().contains("decay the learning rate"));
        assertEquals(AlertSeverity.INFO, a.get(0).severity());
    }

    @Test
    void a_loss_that_keeps_falling_raises_no_plateau_alert() {
        for (int t = 0; t < 5000; t++) record(t, "loss", 2.3 * Math.exp(-t / 1500.0));
        assertTrue(writer.alerts("plateau").isEmpty(), writer.alerts.toString());
    }

    @Test
    void non_finite_values_are_left_to_the_trainer() {
        record(0, "loss", 2.3);
        for (int t = 1; t < 200; t++) record(t, "loss", Double.NaN);
        for (int t = 0; t < 200; t++) record(t, "update_ratio/conv1", Double.POSITIVE_INFINITY);
        assertFalse(writer.alerts.stream().anyMatch(a -> a.kind().startsWith("update_ratio") || a.kind().equals("loss_exploding")),
                writer.alerts.toString());
    }

    @Test
    void an_lbfgs_run_gets_no_learning_rate_advice_from_its_line_searched_steps() throws Exception {
        AlertRules lbfgs = AlertRules.forConfig(trainwatch.config.ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}}"));
        for (int t = 0; t < 300; t++) lbfgs.onScalars(t, new String[] {"update_ratio/dense1"}, new double[] {0.2}, writer);
        assertTrue(writer.alerts.isEmpty(), writer.alerts.toString());
    }
}
