package trainwatch.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves. {@link #ticking()} is real time plus an offset: bounded waits in
 * the code under test still end by themselves, and {@link #advance} jumps past a timeout
 * at once instead of the test sleeping through it. {@link #frozen()} moves only when the
 * test says so, for rules that compare two readings (a grace period, an age).
 */
public final class TestClock extends Clock {
    private final boolean ticking;
    private final AtomicLong offsetMs;

    private TestClock(boolean ticking, long startOffsetMs) {
        this.ticking = ticking;
        this.offsetMs = new AtomicLong(startOffsetMs);
    }

    public static TestClock ticking() {
        return new TestClock(true, 0);
    }

    public static TestClock frozen() {
        return new TestClock(false, System.currentTimeMillis());
    }

    /** Moves this clock (and every component given it) forward. */
    public void advance(Duration d) {
        offsetMs.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return (ticking ? System.currentTimeMillis() : 0) + offsetMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock is UTC");
    }
}
