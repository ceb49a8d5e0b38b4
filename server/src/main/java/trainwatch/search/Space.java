package trainwatch.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The searched parameters, in declared order (grid order and reports follow it).
 * No path may be a prefix of another ("model" and "model.hidden" would both write the
 * same config subtree).
 */
public record Space(Map<String, Param> params) {
    public Space {
        if (params == null || params.isEmpty()) throw new InvalidSpaceException("parameters", "a search needs at least one parameter");
        Map<String, Param> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : params.entrySet()) {
            Param p = e.getValue();
            if (p == null) throw new InvalidSpaceException(e.getKey(), "has no distribution");
            if (!p.path().equals(e.getKey())) throw new InvalidSpaceException(e.getKey(), "is keyed by a different path than its parameter, " + p.path());
            for (String other : copy.keySet()) {
                if (e.getKey().startsWith(other + ".") || other.startsWith(e.getKey() + "."))
                    throw new InvalidSpaceException(e.getKey(), "overlaps with " + other + "; search one or the other");
            }
            copy.put(e.getKey(), p);
        }
        params = Collections.unmodifiableMap(copy);
    }

    public static Space of(Param... params) {
        return of(List.of(params));
    }

    public static Space of(List<Param> params) {
        Map<String, Param> m = new LinkedHashMap<>();
        for (Param p : params) {
            if (m.put(p.path(), p) != null) throw new InvalidSpaceException(p.path(), "is declared twice");
        }
        return new Space(m);
    }

    public List<Param> list() {
        return List.copyOf(params.values());
    }

    public Param get(String path) {
        return params.get(path);
    }
}
