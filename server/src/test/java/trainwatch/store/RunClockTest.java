package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;

/** The wall-clock anchors behind the dashboard's time axes (GET /api/runs/{id}/clock). */
class RunClockTest {
    @TempDir
    Path dir;

    static final class Manual extends Clock {
        long ms = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms);
        }
    }

    @Test
    void anchors_are_spread_over_the_run_in_step_order_with_each_records_own_wall_time_and_the_newest_last() {
        Manual clock = new Manual();
        RunStore store = new RunStore(dir, clock);
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            for (long s = 0; s < 100_000; s++) {
                clock.ms += s < 50_000 ? 10 : 30;   // the run slowed down half way
                w.scalars(s, new String[] {"loss"}, new double[] {1.0 / (s + 1)});
            }
            w.flush();
            try (RunReader r = store.reader(id)) {
                long[][] c = r.clock(200);
                long[] steps = c[0], walls = c[1];
                assertTrue(steps.length >= 150 && steps.length <= 200, "about the asked number: " + steps.length);
                assertEquals(0, steps[0]);
                assertEquals(99_999, steps[steps.length - 1], "the newest record is the last anchor");
                for (int i = 0; i < steps.length; i++) {
                    if (i > 0) assertTrue(steps[i] > steps[i - 1] && walls[i] >= walls[i - 1], "ascending at " + i);
                    long s = steps[i];
                    long expected = 1_000_000 + 10 * Math.min(s + 1, 50_000) + 30 * Math.max(0, s + 1 - 50_000);
                    assertEquals(expected, walls[i], "wall time of step " + s);
                }
            }
        }
    }

    @Test
    void a_run_without_records_has_no_anchors() {
        RunStore store = new RunStore(dir, new Manual());
        String id = store.newId();
        store.create(id, "{}", RunStatus.QUEUED, "");
        try (RunReader r = store.reader(id)) {
            long[][] c = r.clock(100);
            assertArrayEquals(new long[0], c[0]);
            assertArrayEquals(new long[0], c[1]);
        }
    }
}
