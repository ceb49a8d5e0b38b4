package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import trainwatch.event.RunEvent;
import trainwatch.event.Scalars;

class EventRingTest {
    private static Scalars rec(long seq) {
        return new Scalars(seq, seq, 0, new String[] {"loss"}, new double[] {1});
    }

    private static List<Long> seqs(List<RunEvent> events) {
        return events.stream().map(RunEvent::seq).toList();
    }

    @Test
    void after_returns_exactly_the_events_with_a_larger_seq() {
        EventRing ring = new EventRing(10, 0);
        for (int i = 1; i <= 6; i++) ring.add(rec(i));
        assertEquals(List.of(4L, 5L, 6L), seqs(ring.after(3)));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(ring.after(0)));
        assertEquals(List.of(), seqs(ring.after(6)));
    }

    @Test
    void a_seq_that_has_left_the_ring_cannot_be_resumed_from_memory() {
        EventRing ring = new EventRing(4, 0);
        for (int i = 1; i <= 10; i++) ring.add(rec(i));
        assertNull(ring.after(5));
        assertEquals(List.of(7L, 8L, 9L, 10L), seqs(ring.after(6)));
    }
}
