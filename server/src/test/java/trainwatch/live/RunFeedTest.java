package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;

class RunFeedTest {
    private static final LiveLimits LIMITS = LiveLimits.defaults().withWindowBytes(4_000).withMaxQueuedBytes(20_000).withRingCapacity(1_000).withMaxBacklog(100_000)
            .withMaxPerMessage(50).withMaxReadPerTick(500);
    /** Room enough for the replays below. */
    private static final LiveLimits ROOMY = LIMITS.withMaxQueuedBytes(1_000_000);

    private static List<Long> range(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().toList();
    }

    private static JsonNode first(RecordingSink sink, String type) {
        return sink.messages().stream().filter(m -> m.path("type").asText().equals(type)).findFirst().orElse(null);
    }

    @Test
    void a_stalled_client_stays_bounded_is_closed_with_4008_and_holds_up_neither_the_tailer_nor_other_clients() {
        MemoryRun run = new MemoryRun("r");
        RunFeed feed = new RunFeed("r", run, LIMITS, AlertSink.NONE, 0);
        RecordingSink stalledSink = new RecordingSink(true), healthySink = new RecordingSink(false);
        LiveClient stalled = new LiveClient(stalledSink, LIMITS, -1), healthy = new LiveClient(healthySink, LIMITS, -1);
        feed.join(stalled, null);
        feed.join(healthy, null);

        // The writer (here: the test thread) appends and the tailer polls on this same thread: if either waited
        // for the stalled socket, whose sends never complete, this loop could not finish.
        for (long step = 0; step < 20_000; step++) {
            run.scalars(step, "loss", step);
            if (step % 100 == 99) feed.poll(step);
        }
        feed.poll(20_000);

        assertEquals(range(0, 20_000), healthySink.steps("loss"), "the healthy client got every step once, in order");
        assertTrue(stalled.laggedOut());
        assertEquals(LiveClient.LAGGING, stalledSink.closeCode);
        long resumeAfter = Long.parseLong(stalledSink.closeReason.replace("resume after=", ""));
        assertTrue(stalled.maxBufferedBytes() <= LIMITS.windowBytes() + LIMITS.maxQueuedBytes() + 5_000,
                "buffer bounded, was " + stalled.maxBufferedBytes());
        assertEquals(1, feed.clientCount(), "the stalled client left the feed");

        // What the stalled client was handed ends exactly at the seq its close reason names.
        long lastHanded = stalledSink.messages().stream().mapToLong(m -> m.path("seq").asLong(-1)).max().orElse(-1);
        assertEquals(lastHanded, resumeAfter);

        // Resuming from there gets exactly the rest (a client with room for it).
        RecordingSink again = new RecordingSink(false);
        feed.join(new LiveClient(again, ROOMY, -1), resumeAfter);
        List<Long> before = stalledSink.steps("loss");
        List<Long> after = again.steps("loss");
        assertEquals(range(0, 20_000), concat(before, after));
    }

    @Test
    void a_reconnect_with_after_gets_exactly_the_records_it_missed_from_memory() {
        MemoryRun run = new MemoryRun("r");
        RunFeed feed = new RunFeed("r", run, ROOMY, AlertSink.NONE, 0);
        RecordingSink first = new RecordingSink(false);
        LiveClient c = new LiveClient(first, LIMITS, -1);
        feed.join(c, null);
        for (long s = 0; s < 300; s++) run.scalars(s, "loss", s);
        feed.poll(1);
        long seen = c.handedSeq();
        feed.leave(c);
        for (long s = 300; s < 700; s++) run.scalars(s, "loss", s);
        feed.poll(2);

        RecordingSink second = new RecordingSink(false);
        feed.join(new LiveClient(second, LIMITS, -1), seen);
        assertEquals(range(0, 300), first.steps("loss"));
        assertEquals(range(300, 700), second.steps("loss"));
        assertEquals(700, first(second, "hello").get("seq").asLong());
    }

    @Test
    void a_resume_older_than_the_ring_is_read_back_from_the_log() {
        MemoryRun run = new MemoryRun("r");
        for (long s = 0; s < 50; s++) run.scalars(s, "loss", s);
        RunFeed feed = new RunFeed("r", run, ROOMY, AlertSink.NONE, 0);
        for (long s = 50; s < 3_000; s++) run.scalars(s, "loss", s); // more than the ring holds
        feed.poll(1);
        RecordingSink sink = new RecordingSink(false);
        feed.join(new LiveClient(sink, ROOMY, -1), 10L);
        assertEquals(range(10, 3_000), sink.steps("loss"));
    }

    @Test
    void a_resume_the_log_cannot_serve_cheaply_gets_resync_and_a_normal_close() {
        MemoryRun run = new MemoryRun("r");
        for (long s = 0; s < 3_000; s++) run.scalars(s, "loss", s);
        run.compactBelow(2_000);
        RunFeed feed = new RunFeed("r", run, LIMITS, AlertSink.NONE, 0);
        RecordingSink sink = new RecordingSink(false);
        feed.join(new LiveClient(sink, LIMITS, -1), 5L);
        JsonNode resync = first(sink, "resync");
        assertNotNull(resync, sink.sent.size() + " messages, none a resync");
        assertEquals(3_000, resync.get("seq").asLong());
        assertEquals(1000, sink.closeCode);
    }

    @Test
    void a_backlog_bigger_than_twice_the_client_queue_gets_resync_instead_of_a_flood() {
        LiveLimits bigRing = LIMITS.withRingCapacity(10_000);
        MemoryRun run = new MemoryRun("r");
        RunFeed feed = new RunFeed("r", run, bigRing, AlertSink.NONE, 0);
        for (long s = 0; s < 3_000; s++) run.scalars(s, "loss", s); // all in the ring, but ~70 KB of JSON > 2 x 20 KB
        feed.poll(1);
        RecordingSink sink = new RecordingSink(false);
        feed.join(new LiveClient(sink, bigRing, -1), 0L);
        assertNotNull(first(sink, "resync"), sink.sent.size() + " messages, none a resync");
        assertEquals(0, sink.steps("loss").size());
        assertEquals(1000, sink.closeCode);
    }

    @Test
    void status_changes_written_only_to_status_json_reach_clients_and_alerts_reach_the_sink() {
        MemoryRun run = new MemoryRun("r");
        List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunFeed feed = new RunFeed("r", run, LIMITS, (id, a) -> alerts.add(id + ":" + a.kind()), 0);
        RecordingSink sink = new RecordingSink(false);
        feed.join(new LiveClient(sink, LIMITS, -1), null);
        run.alert(3, "loss_exploding");
        run.status(RunStatus.INTERRUPTED);
        feed.poll(1_000);
        assertEquals(List.of("r:loss_exploding"), alerts);
        assertEquals("interrupted", first(sink, "status").get("status").asText());
        assertEquals("loss_exploding", first(sink, "alert").get("kind").asText());
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
