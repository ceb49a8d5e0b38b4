package trainwatch.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One trial's sampled values, path -> value, in the space's order. */
public record Assignment(Map<String, Object> values) {
    public Assignment {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object get(String path) {
        return values.get(path);
    }
}
