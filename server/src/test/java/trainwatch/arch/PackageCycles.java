package trainwatch.arch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tarjan's strongly connected components: every component of more than one node is a cycle. */
final class PackageCycles {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final List<List<String>> cycles = new ArrayList<>();
    private int next;

    private PackageCycles(Map<String, Set<String>> graph) {
        this.graph = graph;
    }

    /** Each cycle as its sorted members; nodes in iteration order of the map (use a sorted map for a stable answer). */
    static List<List<String>> of(Map<String, Set<String>> graph) {
        PackageCycles t = new PackageCycles(graph);
        for (String n : graph.keySet()) if (!t.index.containsKey(n)) t.visit(n);
        return t.cycles;
    }

    private void visit(String n) {
        index.put(n, next);
        low.put(n, next);
        next++;
        stack.push(n);
        for (String m : graph.getOrDefault(n, Set.of())) {
            if (!index.containsKey(m)) {
                visit(m);
                low.put(n, Math.min(low.get(n), low.get(m)));
            } else if (stack.contains(m)) {
                low.put(n, Math.min(low.get(n), index.get(m)));
            }
        }
        if (!low.get(n).equals(index.get(n))) return;
        List<String> component = new ArrayList<>();
        String m;
        do {
            m = stack.pop();
            component.add(m);
        } while (!m.equals(n));
        if (component.size() > 1) {
            component.sort(null);
            cycles.add(component);
        }
    }
}
