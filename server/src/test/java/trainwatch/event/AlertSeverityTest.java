package trainwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AlertSeverityTest {
    @Test
    void broken_runs_are_critical_wasted_time_a_warning_a_plateau_information() {
        assertEquals(AlertSeverity.CRITICAL, AlertSeverity.of("nonfinite"));
        assertEquals(AlertSeverity.CRITICAL, AlertSeverity.of("loss_exploding"));
        assertEquals(AlertSeverity.CRITICAL, AlertSeverity.of("diverged"));
        assertEquals(AlertSeverity.WARNING, AlertSeverity.of("update_ratio_high"));
        assertEquals(AlertSeverity.WARNING, AlertSeverity.of("update_ratio_low"));
        assertEquals(AlertSeverity.WARNING, AlertSeverity.of("overfitting"));
        assertEquals(AlertSeverity.INFO, AlertSeverity.of("plateau"));
        assertEquals(AlertSeverity.WARNING, AlertSeverity.of("something_new"));
        assertEquals("critical", AlertSeverity.CRITICAL.wire());
        assertEquals("warning", AlertSeverity.WARNING.wire());
        assertEquals("info", AlertSeverity.INFO.wire());
    }

    @Test
    void an_alert_read_back_without_a_stored_severity_gets_its_kinds() {
        Alert a = new Alert(1, 2, 3, "loss_exploding", "loss", "m", "a");
        assertEquals(AlertSeverity.CRITICAL, a.severity());
        assertEquals(new Alert(1, 2, 3, "loss_exploding", "loss", "m", "a", AlertSeverity.CRITICAL), a);
    }
}
