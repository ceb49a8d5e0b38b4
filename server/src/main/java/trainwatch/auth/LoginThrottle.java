package trainwatch.auth;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address: {@link #MAX_FAILURES} within {@link #WINDOW_MS} are allowed; the next
 * attempt is refused (429) until the oldest failure leaves the window. A token has 256 random bits, so
 * this is about noise and log spam more than guessing.
 */
public final class LoginThrottle {
    public static final int MAX_FAILURES = 10;
    public static final long WINDOW_MS = 60_000;
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** 0 when this address may try now; otherwise the seconds to wait (for Retry-After). */
    public long retryAfterSeconds(String address) {
        Deque<Long> d = failures.get(address);
        if (d == null) return 0;
        long now = clock.millis();
        synchronized (d) {
            while (!d.isEmpty() && d.peekFirst() <= now - WINDOW_MS) d.pollFirst();
            if (d.size() < MAX_FAILURES) return 0;
            long wait = d.peekFirst() + WINDOW_MS - now;
            return Math.max(1, (wait + 999) / 1000);
        }
    }

    public void failed(String address) {
        if (failures.size() > MAX_ADDRESSES) prune();
        Deque<Long> d = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(clock.millis());
            while (d.size() > MAX_FAILURES + 1) d.pollFirst();
        }
    }

    public void succeeded(String address) {
        failures.remove(address);
    }

    private void prune() {
        long cut = clock.millis() - WINDOW_MS;
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() <= cut;
            }
        });
    }
}
