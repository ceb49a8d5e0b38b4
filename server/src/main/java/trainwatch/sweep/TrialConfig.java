package trainwatch.sweep;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.json.Json;

/** A trial's run config: the sweep's base with the sampled values put at their dotted paths, checked by the run parser. */
final class TrialConfig {
    private TrialConfig() {}

    /** The base with {@code values} substituted (objects on the way are created when the base has none). */
    static ObjectNode substitute(ObjectNode base, Map<String, Object> values) {
        ObjectNode out = base.deepCopy();
        for (Map.Entry<String, Object> e : values.entrySet()) put(out, e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
        return out;
    }

    static void put(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            at = next instanceof ObjectNode o ? o : at.putObject(keys[i]);
        }
        at.set(keys[keys.length - 1], value);
    }

    /**
     * The config.json of trial {@code n}: named "&lt;sweep name&gt; #n", every default filled in. Throws the parser's
     * ConfigException when these values make an invalid run (possible only for combinations: each bound alone was checked).
     */
    static String json(SweepSpec spec, int n, Map<String, Object> values, Path dataDir) throws ConfigException {
        ObjectNode c = substitute(spec.base(), values);
        String name = spec.name() + " #" + n;
        c.put("name", name.length() > 100 ? name.substring(0, 100) : name);
        return ConfigParser.toJson(ConfigParser.parse(Json.write(c), dataDir));
    }
}
