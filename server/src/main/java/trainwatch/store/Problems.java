package trainwatch.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Corruption a reader found: distinct messages, at most MAX (a badly damaged log must not grow memory). Usable as a scan's problem list. */
final class Problems extends ArrayList<String> {
    private static final int MAX = 100;
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();

    @Override
    public boolean add(String p) {
        if (seen.size() < MAX && seen.add(p)) super.add(p);
        return true;
    }

    void addAll(List<String> ps) {
        for (String p : ps) add(p);
    }

    List<String> snapshot() {
        return List.copyOf(this);
    }
}
