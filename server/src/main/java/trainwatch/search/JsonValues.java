package trainwatch.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks and freezes categorical choices: any JSON-like value (finite number, string,
 * boolean, list or string-keyed object of those), so `"model.hidden": {"values": [[50], [200, 100]]}`
 * works as well as `{"values": ["adam", "sgd"]}`. JSON null is refused: a sweep over
 * "no value" is spelled by leaving the key out of the space.
 */
final class JsonValues {
    private JsonValues() {}

    static List<Object> choices(String path, String kind, List<?> raw) {
        if (raw == null || raw.isEmpty()) throw new InvalidSpaceException(path, kind + " must list at least one value");
        List<Object> out = new ArrayList<>(raw.size());
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            Object v = freeze(path, kind + "[" + i + "]", raw.get(i));
            if (!seen.add(v)) throw new InvalidSpaceException(path, kind + "[" + i + "] repeats the value " + v + "; each choice must appear once");
            out.add(v);
        }
        return Collections.unmodifiableList(out);
    }

    private static Object freeze(String path, String where, Object v) {
        if (v == null) throw new InvalidSpaceException(path, where + " is null; leave the key out instead of sweeping null");
        if (v instanceof String || v instanceof Boolean) return v;
        if (v instanceof Number n) {
            if ((v instanceof Double || v instanceof Float) && !Double.isFinite(n.doubleValue()))
                throw new InvalidSpaceException(path, where + " must be a finite number, got " + v);
            return v;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) out.add(freeze(path, where + "[" + i + "]", l.get(i)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new InvalidSpaceException(path, where + " has a non-string key " + e.getKey());
                out.put(k, freeze(path, where + "." + k, e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new InvalidSpaceException(path, where + " is a " + v.getClass().getSimpleName() + "; only numbers, strings, booleans, lists and objects can be swept");
    }
}
