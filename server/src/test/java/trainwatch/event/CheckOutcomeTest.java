package trainwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CheckOutcomeTest {
    @Test
    void outcomes_travel_as_the_same_lower_case_words_and_rank_fail_over_warn_over_pass() {
        assertEquals("pass", CheckOutcome.PASS.wire());
        assertEquals("warn", CheckOutcome.WARN.wire());
        assertEquals("fail", CheckOutcome.FAIL.wire());
        for (CheckOutcome o : CheckOutcome.values()) assertEquals(o, CheckOutcome.fromWire(o.wire()));
        assertEquals(CheckOutcome.FAIL, CheckOutcome.fromWire("running?"), "an unreadable outcome has not passed");
        assertEquals(CheckOutcome.WARN, CheckOutcome.PASS.worse(CheckOutcome.WARN));
        assertEquals(CheckOutcome.FAIL, CheckOutcome.FAIL.worse(CheckOutcome.WARN));
        assertEquals(CheckOutcome.PASS, CheckOutcome.PASS.worse(CheckOutcome.PASS));
    }
}
