package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import trainwatch.event.RunStatus;
import trainwatch.live.LiveClient;
import trainwatch.live.LiveLimits;
import trainwatch.store.RunWriter;

/**
 * The stalled-client rule over real sockets: a JDK WebSocket client that reads nothing
 * fills its TCP buffers, then its bounded server-side buffer, and is closed with 4008
 * while the writer keeps appending and the other client keeps receiving everything.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class StalledSocketTest {
    private static final LiveLimits SMALL = LiveLimits.defaults().withWindowBytes(64 * 1024).withMaxQueuedBytes(256 * 1024)
            .withMaxBacklog(500_000);

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withLimits(SMALL);

    @Test
    void a_client_that_reads_nothing_is_closed_with_4008_while_the_writer_and_the_other_client_go_on() throws Exception {
        String id = fixture.server.store.newId();
        fixture.server.store.create(id, "{\"name\":\"stall\"}", RunStatus.QUEUED, "");
        String[] tags = {"loss", "train_acc", "val_loss", "val_acc", "lr/dense0", "update_ratio/dense0"};
        double[] values = {1.0986, 0.33, 1.1, 0.3, 0.01, 0.001};
        try (RunWriter w = fixture.server.store.openWriter(id)) {
            long first = w.status(RunStatus.RUNNING, "");
            w.flush();
            WsProbe stalled = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live?after=" + first, false);
            WsProbe healthy = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live?after=" + first, true);
            Api.await("both clients attached", Duration.ofSeconds(60), () -> fixture.server.hub.clients(id).size() == 2);
            List<LiveClient> both = fixture.server.hub.clients(id);

            long step = 0, lastSeq = first;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (fixture.server.hub.clients(id).size() == 2) { // until the hub drops the stalled one
                assertTrue(System.nanoTime() < deadline, "the stalled client was never closed");
                for (int i = 0; i < 2_000; i++) lastSeq = w.scalars(step++, tags, values); // the writer never waits on anyone
                w.flush();
                long appended = lastSeq;
                // pace the appends to the healthy reader (as a trainer's iteration time would): on a slow machine its buffer
                // then never holds more than one batch, so only the client that reads nothing can outgrow its limit
                Api.await("the healthy client to receive the batch", Duration.ofSeconds(120),
                        () -> healthy.maxSeq() >= appended || healthy.closed.isDone());
                assertTrue(!healthy.closed.isDone(), "the healthy client was closed: " + healthy.closed.getNow(null) + " " + healthy.closeReason);
            }
            LiveClient gone = both.stream().filter(LiveClient::laggedOut).findFirst().orElseThrow();
            assertEquals(1, both.stream().filter(LiveClient::laggedOut).count(), "only the stalled client lagged out");
            assertTrue(gone.maxBufferedBytes() <= SMALL.windowBytes() + SMALL.maxQueuedBytes() + 1_000_000,
                    "bounded buffer, was " + gone.maxBufferedBytes());

            for (int i = 0; i < 1_000; i++) lastSeq = w.scalars(step++, tags, values); // appends go on after the close
            w.flush();
            long end = lastSeq;
            Api.await("the healthy client got everything", Duration.ofSeconds(120), () -> healthy.maxSeq() == end);
            Steps.assertExactly(0, step, healthy.steps("loss"), "healthy client");

            stalled.startReading();
            int code = stalled.closed.get(60, TimeUnit.SECONDS);
            assertEquals(LiveClient.LAGGING, code);
            assertTrue(stalled.closeReason.startsWith("resume after="), stalled.closeReason);
            long resumeAfter = Long.parseLong(stalled.closeReason.substring("resume after=".length()));
            assertEquals(stalled.maxSeq(), resumeAfter, "everything up to the named seq arrived before the close");

            WsProbe resumed = WsProbe.open(fixture.api.base, "/api/runs/" + id + "/live?after=" + resumeAfter, true);
            Api.await("the rest", Duration.ofSeconds(120), () -> resumed.maxSeq() == end);
            List<Long> all = new ArrayList<>(stalled.steps("loss"));
            all.addAll(resumed.steps("loss"));
            Steps.assertExactly(0, step, all, "stalled part + resumed part");
            healthy.abort();
            resumed.abort();
        }
    }
}
