package trainwatch.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.json.Json;

/**
 * The JSON examples of docs/api.md, by the heading they sit under (the whole heading line), so a
 * test can hold every real response and message against the documented shape: every key it
 * carries, at any depth, must be named by an example. Objects keyed by data rather than by
 * schema (tag names, a config, a check's own details) are listed in {@link #DATA_MAPS}.
 */
final class ApiDocs {
    /**
     * Keys whose value is a map keyed by data: config (docs/config.md's keys), latest/values (tag names), details (per check),
     * counts (statuses), a sweep spec's base (a run config) and parameters (config paths).
     */
    static final Set<String> DATA_MAPS = Set.of("config", "latest", "values", "details", "counts", "base", "parameters");

    private final Map<String, List<JsonNode>> byHeading = new LinkedHashMap<>();

    static ApiDocs load() throws IOException {
        Path p = Path.of("..", "docs", "api.md");
        if (!Files.exists(p)) p = Path.of("docs", "api.md");
        return new ApiDocs(Files.readAllLines(p));
    }

    /** From markdown lines (tests of the checker itself). */
    static ApiDocs of(List<String> lines) throws IOException {
        return new ApiDocs(lines);
    }

    private ApiDocs(List<String> lines) throws IOException {
        String heading = "";
        StringBuilder block = null;
        for (String line : lines) {
            String t = line.strip();
            if (block != null) {
                if (t.startsWith("```")) {
                    List<JsonNode> all = byHeading.computeIfAbsent(heading, k -> new ArrayList<>());
                    try (JsonParser p = Json.MAPPER.createParser(block.toString())) { // one or more values, a top-level array kept whole
                        for (JsonNode n = Json.MAPPER.readTree(p); n != null; n = Json.MAPPER.readTree(p)) all.add(n);
                    }
                    block = null;
                } else {
                    block.append(line).append('\n');
                }
            } else if (t.equals("```json")) {
                block = new StringBuilder();
            } else if (line.startsWith("## ") || line.startsWith("### ")) {
                heading = line;
            }
        }
    }

    /** The union of the examples under a heading (exact line), optionally only those whose "type" is {@code type}. */
    JsonNode shape(String heading, String type) {
        List<JsonNode> examples = byHeading.get(heading);
        if (examples == null) throw new AssertionError("docs/api.md has no JSON example under '" + heading + "': " + byHeading.keySet());
        JsonNode union = null;
        for (JsonNode e : examples) {
            if (type != null && !type.equals(e.path("type").asText(null))) continue;
            union = union == null ? e.deepCopy() : merge(union, e);
        }
        if (union == null) throw new AssertionError("docs/api.md shows no '" + type + "' message under '" + heading + "'");
        return union;
    }

    /** Fails naming the path of every key in {@code actual} that the documented shape does not name. */
    static List<String> undocumented(JsonNode actual, JsonNode doc, String path) {
        List<String> out = new ArrayList<>();
        walk(actual, doc, path, out);
        return out;
    }

    private static void walk(JsonNode actual, JsonNode doc, String path, List<String> out) {
        if (actual.isObject()) {
            if (!doc.isObject()) {
                out.add(path + " is an object, documented as " + doc.getNodeType());
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = actual.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path + "." + f.getKey();
                if (!doc.has(f.getKey())) out.add(p);
                else if (!DATA_MAPS.contains(f.getKey())) walk(f.getValue(), doc.get(f.getKey()), p, out);
            }
        } else if (actual.isArray()) {
            if (!doc.isArray()) {
                out.add(path + " is an array, documented as " + doc.getNodeType());
                return;
            }
            JsonNode element = elementShape((ArrayNode) doc);
            for (int i = 0; i < actual.size(); i++) {
                if (element == null) {
                    if (actual.get(i).isContainerNode()) out.add(path + "[" + i + "] has no documented element shape");
                } else {
                    walk(actual.get(i), element, path + "[" + i + "]", out);
                }
            }
        }
    }

    private static JsonNode elementShape(ArrayNode doc) {
        JsonNode union = null;
        for (JsonNode e : doc) union = union == null ? e.deepCopy() : merge(union, e);
        return union;
    }

    private static JsonNode merge(JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            ObjectNode m = ((ObjectNode) a).deepCopy();
            b.fields().forEachRemaining(f -> m.set(f.getKey(), m.has(f.getKey()) ? merge(m.get(f.getKey()), f.getValue()) : f.getValue()));
            return m;
        }
        if (a.isArray() && b.isArray()) {
            ArrayNode m = JsonNodeFactory.instance.arrayNode();
            JsonNode e = elementShape((ArrayNode) a), f = elementShape((ArrayNode) b);
            if (e != null && f != null) m.add(merge(e, f));
            else if (e != null) m.add(e);
            else if (f != null) m.add(f);
            return m;
        }
        return a.isNull() || a.isValueNode() && b.isContainerNode() ? b : a;
    }
}
