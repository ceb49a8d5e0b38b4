package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveClientTest {
    private static final LiveLimits SMALL = LiveLimits.defaults().withWindowBytes(1000).withMaxQueuedBytes(5000).withRingCapacity(100)
            .withMaxBacklog(1000).withMaxPerMessage(100).withMaxReadPerTick(100);

    private static Frame frame(long seq) {
        return new Frame("x".repeat(100), seq);
    }

    @Test
    void a_client_that_reads_nothing_is_closed_with_4008_naming_the_last_seq_it_was_handed() {
        RecordingSink sink = new RecordingSink(true);
        LiveClient c = new LiveClient(sink, SMALL, 0);
        long seq = 0;
        while (!c.isClosed() && seq < 10_000) c.offer(frame(++seq));
        assertTrue(c.laggedOut());
        assertEquals(LiveClient.LAGGING, sink.closeCode);
        // the window (1000 bytes = 10 frames) went to the socket; the rest waited and was dropped
        assertEquals(10, sink.sent.size());
        assertEquals("resume after=10", sink.closeReason);
        assertTrue(c.maxBufferedBytes() <= SMALL.windowBytes() + SMALL.maxQueuedBytes() + 100, "bounded: " + c.maxBufferedBytes());
    }

    @Test
    void frames_flow_again_when_the_socket_catches_up() {
        RecordingSink sink = new RecordingSink(true);
        LiveClient c = new LiveClient(sink, SMALL, 0);
        for (int i = 1; i <= 30; i++) c.offer(frame(i));
        assertEquals(10, sink.sent.size());
        while (sink.sent.size() < 30) sink.release();
        assertFalse(c.isClosed());
        assertEquals(30, c.handedSeq());
    }

    @Test
    void finish_sends_everything_queued_before_closing() {
        RecordingSink sink = new RecordingSink(false);
        LiveClient c = new LiveClient(sink, SMALL, 0);
        c.offer(frame(1));
        c.offer(frame(2));
        c.finish(1000, "resync");
        assertEquals(2, sink.sent.size());
        assertEquals(1000, sink.closeCode);
        c.offer(frame(3));
        assertEquals(2, sink.sent.size());
    }
}
