package trainwatch.live;

import java.util.function.Consumer;

/** One connected socket as the hub sees it: asynchronous sends that report completion, so the hub can count bytes in flight. */
public interface ClientSink {
    /** Queues a text frame; {@code done} gets null on success or the failure, on any thread, possibly before this returns. */
    void send(String text, Consumer<Throwable> done);

    /** Sends a close frame after everything sent before it. */
    void close(int code, String reason);

    /** Drops the connection without a close handshake (a client that reads nothing never sees the close frame). */
    void disconnect();
}
