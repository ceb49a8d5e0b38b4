package trainwatch.live;

/**
 * Sizes of the live hub. windowBytes: bytes handed to a socket and not yet written;
 * maxQueuedBytes: bytes waiting behind that window before the client is closed with 4008;
 * maxBacklog: records a resume may read back from the log (beyond: resync).
 */
public record LiveLimits(int tickMs, int windowBytes, int maxQueuedBytes, int ringCapacity, int maxBacklog,
                         int maxPerMessage, int maxReadPerTick) {
    public static final LiveLimits DEFAULT = new LiveLimits(20, 1 << 20, 4 << 20, 50_000, 20_000, 5_000, 20_000);

    public LiveLimits {
        if (tickMs < 1 || windowBytes < 1 || maxQueuedBytes < 1 || ringCapacity < 1 || maxBacklog < 1 || maxPerMessage < 1 || maxReadPerTick < 1)
            throw new IllegalArgumentException("live limits must all be >= 1");
    }
}
