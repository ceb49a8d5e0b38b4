package trainwatch.live;

import java.util.ArrayList;
import java.util.List;

import trainwatch.event.RunEvent;

/** The most recent events of a run, so a reconnecting client resumes from memory. Guarded by its RunFeed. */
final class EventRing {
    private final RunEvent[] items;
    private int head; // index of the oldest
    private int size;
    private long floor; // every event with seq > floor is in the ring

    EventRing(int capacity, long floor) {
        this.items = new RunEvent[capacity];
        this.floor = floor;
    }

    void add(RunEvent e) {
        if (size == items.length) {
            floor = items[head].seq();
            items[head] = e;
            head = (head + 1) % items.length;
        } else {
            items[(head + size) % items.length] = e;
            size++;
        }
    }

    /** Events with seq > after, or null when some of them have already left the ring. */
    List<RunEvent> after(long after) {
        if (after < floor) return null;
        int lo = 0, hi = size; // first index with seq > after
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).seq() > after) hi = mid;
            else lo = mid + 1;
        }
        List<RunEvent> out = new ArrayList<>(size - lo);
        for (int i = lo; i < size; i++) out.add(get(i));
        return out;
    }

    private RunEvent get(int i) {
        return items[(head + i) % items.length];
    }

    int size() {
        return size;
    }
}
