package trainwatch.live;

/**
 * Sizes of the live hub. windowBytes: bytes handed to a socket and not yet written;
 * maxQueuedBytes: bytes waiting behind that window before the client is closed with 4008;
 * maxBacklog: records a resume may read back from the log (beyond: resync);
 * pingMs: how often the server pings an idle socket so proxies keep it open.
 * Build from {@link #defaults()} and name what differs: {@code defaults().withMaxQueuedBytes(256 * 1024)}.
 */
public record LiveLimits(int tickMs, int windowBytes, int maxQueuedBytes, int ringCapacity, int maxBacklog,
                         int maxPerMessage, int maxReadPerTick, int pingMs) {
    public static final LiveLimits DEFAULT = new LiveLimits(20, 1 << 20, 4 << 20, 50_000, 20_000, 5_000, 20_000, 15_000);

    public LiveLimits {
        if (tickMs < 1 || windowBytes < 1 || maxQueuedBytes < 1 || ringCapacity < 1 || maxBacklog < 1 || maxPerMessage < 1 || maxReadPerTick < 1 || pingMs < 1)
            throw new IllegalArgumentException("live limits must all be >= 1");
    }

    public static LiveLimits defaults() {
        return DEFAULT;
    }

    public LiveLimits withTickMs(int v) {
        return new LiveLimits(v, windowBytes, maxQueuedBytes, ringCapacity, maxBacklog, maxPerMessage, maxReadPerTick, pingMs);
    }

    public LiveLimits withWindowBytes(int v) {
        return new LiveLimits(tickMs, v, maxQueuedBytes, ringCapacity, maxBacklog, maxPerMessage, maxReadPerTick, pingMs);
    }

    public LiveLimits withMaxQueuedBytes(int v) {
        return new LiveLimits(tickMs, windowBytes, v, ringCapacity, maxBacklog, maxPerMessage, maxReadPerTick, pingMs);
    }

    public LiveLimits withRingCapacity(int v) {
        return new LiveLimits(tickMs, windowBytes, maxQueuedBytes, v, maxBacklog, maxPerMessage, maxReadPerTick, pingMs);
    }

    public LiveLimits withMaxBacklog(int v) {
        return new LiveLimits(tickMs, windowBytes, maxQueuedBytes, ringCapacity, v, maxPerMessage, maxReadPerTick, pingMs);
    }

    public LiveLimits withMaxPerMessage(int v) {
        return new LiveLimits(tickMs, windowBytes, maxQueuedBytes, ringCapacity, maxBacklog, v, maxReadPerTick, pingMs);
    }

    public LiveLimits withMaxReadPerTick(int v) {
        return new LiveLimits(tickMs, windowBytes, maxQueuedBytes, ringCapacity, maxBacklog, maxPerMessage, v, pingMs);
    }

    public LiveLimits withPingMs(int v) {
        return new LiveLimits(tickMs, windowBytes, maxQueuedBytes, ringCapacity, maxBacklog, maxPerMessage, maxReadPerTick, v);
    }
}
