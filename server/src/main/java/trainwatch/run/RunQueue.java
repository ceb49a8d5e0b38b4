package trainwatch.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** FIFO of runs waiting for a free training slot (--max-parallel). Not thread-safe: the Supervisor guards it. */
final class RunQueue {
    private final Deque<String> waiting = new ArrayDeque<>();

    void add(String id) {
        if (!waiting.contains(id)) waiting.addLast(id);
    }

    boolean remove(String id) {
        return waiting.remove(id);
    }

    boolean contains(String id) {
        return waiting.contains(id);
    }

    /** Next run to start when {@code busy} slots of {@code max} are taken, or null. */
    String next(int busy, int max) {
        return busy < max ? waiting.pollFirst() : null;
    }

    List<String> snapshot() {
        return new ArrayList<>(waiting);
    }
}
