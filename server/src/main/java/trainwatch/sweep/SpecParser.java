package trainwatch.sweep;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.FieldError;
import trainwatch.run.Problem;
import trainwatch.run.RunException;
import trainwatch.search.GridSampler;
import trainwatch.search.Goal;
import trainwatch.search.InvalidSpaceException;
import trainwatch.search.Param;
import trainwatch.search.Space;

/**
 * Sweep spec JSON -> {@link SweepSpec} (docs/sweeps.md), in the run config parser's style:
 * unknown keys refused, every problem named by its dotted field ("parameters.optimizer.lr.min"),
 * all problems reported, first one first. A space that can make an invalid run is refused up
 * front: the base must parse, and each bound and each choice is put into it and parsed.
 * Throws {@link RunException} (400) carrying every problem.
 */
public final class SpecParser {
    static final List<String> KEYS = List.of("name", "base", "method", "metric", "parameters", "trials", "parallel", "seed",
            "retries", "earlyStop");
    static final List<String> METHODS = List.of("grid", "random", "tpe");
    static final List<String> TAGS = List.of("val_acc", "val_loss", "train_acc", "loss");
    static final List<String> DISTRIBUTIONS = List.of("uniform", "log_uniform", "int_uniform", "int_log_uniform", "values", "grid");
    static final int MAX_TRIALS = 10_000, MAX_PARALLEL = 64, MAX_RETRIES = 5, MAX_NAME = 100;
    static final long MAX_SEED = (1L << 53) - 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private final Path dataDir;
    private final List<Problem> problems = new ArrayList<>();

    private SpecParser(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** A spec as posted or given to the CLI ("parent" is refused: only refine sets it). */
    public static SweepSpec parse(String json, Path dataDir) {
        return new SpecParser(dataDir).run(json, false);
    }

    /** A stored spec.json (may carry "parent"). */
    static SweepSpec parseStored(String json, Path dataDir) {
        return new SpecParser(dataDir).run(json, true);
    }

    private SweepSpec run(String json, boolean stored) {
        ObjectNode root = readObject(json);
        if (root == null) throw RunException.invalid(problems);
        List<String> known = new ArrayList<>(KEYS);
        if (stored) known.add("parent");
        rejectUnknown(root, "", known);

        String name = root.path("name").isTextual() ? root.get("name").asText().strip() : "";
        if (!root.has("name")) error("name", "is required (1-" + MAX_NAME + " characters)");
        else if (!root.get("name").isTextual()) error("name", "must be a string (got " + kind(root.get("name")) + ")");
        else if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME)
            error("name", "must be 1-" + MAX_NAME + " characters (got " + name.codePointCount(0, name.length()) + ")");

        ObjectNode base = base(root.get("base"));
        String method = choice(root, "method", METHODS, true);
        String tag = null;
        Goal goal = null;
        JsonNode metric = root.get("metric");
        if (metric == null) error("metric", "is required: {\"tag\": \"val_acc\", \"goal\": \"max\"}");
        else if (!metric.isObject()) error("metric", "must be an object (got " + kind(metric) + ")");
        else {
            rejectUnknown((ObjectNode) metric, "metric", List.of("tag", "goal"));
            tag = choice((ObjectNode) metric, "metric.tag", "tag", TAGS, true);
            String g = choice((ObjectNode) metric, "metric.goal", "goal", List.of("max", "min"), true);
            if (g != null) goal = Goal.parse(g);
        }

        Space space = parameters(root.get("parameters"), base, method);
        long product = space == null || !"grid".equals(method) ? -1 : gridSize(space);
        if (product > GridSampler.MAX_POINTS) error("parameters", "the grid has more than " + GridSampler.MAX_POINTS + " points; use random or tpe");
        int trials = 0;
        if (!root.has("trials")) {
            if ("grid".equals(method)) {
                if (product > MAX_TRIALS) error("trials", "is required: the grid has " + product + " points, more than " + MAX_TRIALS);
                else if (product > 0) trials = (int) product;
            } else if (method != null) {
                error("trials", "is required (1-" + MAX_TRIALS + ") for method " + method);
            }
        } else {
            trials = (int) integer(root, "trials", 0, 1, MAX_TRIALS);
            if (product > 0 && trials > product)
                error("trials", "must be at most " + product + ", the grid's points (got " + trials + "); leave it out to run the whole grid");
        }
        int parallel = (int) integer(root, "parallel", 1, 1, MAX_PARALLEL);
        long seed = integer(root, "seed", 0, 0, MAX_SEED);
        int retries = (int) integer(root, "retries", 1, 0, MAX_RETRIES);
        SweepSpec.EarlyStopSpec early = earlyStop(root.get("earlyStop"), base);
        String parent = stored && root.path("parent").isTextual() ? root.get("parent").asText() : null;
        if (!problems.isEmpty()) throw RunException.invalid(problems);
        return new SweepSpec(name, base, method, tag, goal, space, trials, parallel, seed, retries, early, parent, root);
    }

    /** The base config must parse by itself; its problems are named base.&lt;field&gt;. */
    private ObjectNode base(JsonNode base) {
        if (base == null) {
            error("base", "is required: a run config (docs/config.md)");
            return null;
        }
        if (!base.isObject()) {
            error("base", "must be a run config object (got " + kind(base) + ")");
            return null;
        }
        try {
            ConfigParser.parse(base.toString(), dataDir);
        } catch (ConfigException e) {
            for (FieldError fe : e.errors()) {
                FieldError named = new FieldError(fe.field().isEmpty() ? "base" : "base." + fe.field(), fe.message());
                problems.add(new Problem(named.field(), named.message(), named.line()));
            }
            return null;
        }
        return (ObjectNode) base;
    }

    private Space parameters(JsonNode params, ObjectNode base, String method) {
        if (params == null) {
            error("parameters", "is required: dotted run-config path -> distribution, e.g. {\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 1e-4, \"max\": 1}}");
            return null;
        }
        if (!params.isObject()) {
            error("parameters", "must be an object (got " + kind(params) + ")");
            return null;
        }
        if (params.isEmpty()) {
            error("parameters", "must name at least one parameter");
            return null;
        }
        int before = problems.size();
        List<Param> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Param p = param(e.getKey(), e.getValue(), method);
            if (p != null) list.add(p);
        }
        if (problems.size() > before) return null;
        Space space;
        try {
            space = Space.of(list);
        } catch (InvalidSpaceException e) {
            error(field(e.field()), e.problem());
            return null;
        }
        if (base != null) for (Param p : list) checkBounds(base, p);
        return problems.size() > before ? null : space;
    }

    private static String field(String path) {
        return path.equals("parameters") ? path : "parameters." + path;
    }

    private Param param(String path, JsonNode d, String method) {
        String f = "parameters." + path;
        if (!Param.PATH.matcher(path).matches()) {
            error(f, "is not a dotted run-config path such as optimizer.lr");
            return null;
        }
        var refused = Hyperparameters.refuse(path);
        if (refused.isPresent()) {
            error(f, refused.get());
            return null;
        }
        if (d == null || !d.isObject()) {
            error(f, "must be an object such as {\"distribution\": \"uniform\", \"min\": 0, \"max\": 0.5} or {\"values\": [...]} (got " + kind(d) + ")");
            return null;
        }
        ObjectNode o = (ObjectNode) d;
        String dist = o.has("distribution") ? choice(o, f + ".distribution", "distribution", DISTRIBUTIONS, true)
                : o.has("values") ? "values" : o.has("grid") ? "grid" : null;
        if (dist == null) {
            if (!o.has("distribution")) error(f + ".distribution", "is required (" + String.join(", ", DISTRIBUTIONS) + "), or give \"values\" or \"grid\"");
            return null;
        }
        boolean choice = dist.equals("values") || dist.equals("grid");
        rejectUnknown(o, f, choice ? List.of("distribution", dist) : List.of("distribution", "min", "max"));
        if ("grid".equals(method) && !choice) {
            error(f, "is " + dist + ": the grid method needs grid or values parameters (a list of points)");
            return null;
        }
        try {
            if (choice) {
                JsonNode v = o.get(dist);
                if (v == null || !v.isArray()) {
                    error(f + "." + dist, v == null ? "is required: a list of choices" : "must be a list (got " + kind(v) + ")");
                    return null;
                }
                if (v.isEmpty()) {
                    error(f + "." + dist, "must list at least one value");
                    return null;
                }
                List<Object> values = JSON.convertValue(v, JSON.getTypeFactory().constructCollectionType(List.class, Object.class));
                return dist.equals("grid") ? new Param.Grid(path, values) : new Param.Values(path, values);
            }
            boolean integer = dist.startsWith("int_");
            Double min = bound(o, f, "min", integer), max = bound(o, f, "max", integer);
            if (min == null || max == null) return null;
            if (dist.contains("log") && !(min > 0)) {
                error(f + ".min", "must be > 0 for " + dist + " (got " + num(min) + "); bounds are values such as 1e-4, not exponents");
                return null;
            }
            if (!(min < max)) {
                error(f + ".max", "must be > min (got min " + num(min) + ", max " + num(max) + ")");
                return null;
            }
            return switch (dist) {
                case "uniform" -> new Param.Uniform(path, min, max);
                case "log_uniform" -> new Param.LogUniform(path, min, max);
                case "int_uniform" -> new Param.IntUniform(path, min.longValue(), max.longValue());
                default -> new Param.IntLogUniform(path, min.longValue(), max.longValue());
            };
        } catch (InvalidSpaceException e) {
            error(f, e.problem());
            return null;
        } catch (IllegalArgumentException e) {
            error(f, "has values that cannot be read: " + e.getMessage());
            return null;
        }
    }

    private Double bound(ObjectNode o, String f, String key, boolean integer) {
        JsonNode v = o.get(key);
        if (v == null) {
            error(f + "." + key, "is required");
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            error(f + "." + key, "must be a finite number (got " + kind(v) + ")");
            return null;
        }
        if (integer && (!v.canConvertToExactIntegral() || Math.abs(v.asDouble()) > MAX_SEED)) {
            error(f + "." + key, "must be an integer (got " + v + ")");
            return null;
        }
        return v.asDouble();
    }

    /** Each bound (and each choice) alone in the base config must make a valid run. */
    private void checkBounds(ObjectNode base, Param p) {
        String f = "parameters." + p.path();
        Map<String, Object> at = new LinkedHashMap<>();
        if (p instanceof Param.Numeric n) {
            boolean integer = p instanceof Param.IntUniform || p instanceof Param.IntLogUniform;
            at.put(f + ".min", integer ? (Object) (long) n.lower() : (Object) n.lower());
            at.put(f + ".max", integer ? (Object) (long) n.upper() : (Object) n.upper());
        } else {
            List<Object> choices = ((Param.Choice) p).choices();
            for (int i = 0; i < choices.size(); i++) at.put(f + "." + p.distribution() + "[" + i + "]", choices.get(i));
        }
        for (Map.Entry<String, Object> e : at.entrySet()) {
            try {
                ConfigParser.parse(TrialConfig.substitute(base, Map.of(p.path(), e.getValue())).toString(), dataDir);
            } catch (ConfigException ex) {
                error(e.getKey(), "makes an invalid run: " + ex.errors().get(0).line());
                return; // one problem per parameter is enough to act on
            }
        }
    }

    private SweepSpec.EarlyStopSpec earlyStop(JsonNode n, ObjectNode base) {
        if (n == null) return SweepSpec.EarlyStopSpec.NONE;
        if (!n.isObject()) {
            error("earlyStop", "must be an object such as {\"type\": \"asha\", \"minEpochs\": 1, \"reductionFactor\": 3} (got " + kind(n) + ")");
            return SweepSpec.EarlyStopSpec.NONE;
        }
        ObjectNode o = (ObjectNode) n;
        String type = choice(o, "earlyStop.type", "type", List.of("none", "asha"), true);
        if (!"asha".equals(type)) {
            rejectUnknown(o, "earlyStop", List.of("type"));
            return SweepSpec.EarlyStopSpec.NONE;
        }
        rejectUnknown(o, "earlyStop", List.of("type", "minEpochs", "reductionFactor"));
        int minEpochs = (int) integer(o, "earlyStop.minEpochs", "minEpochs", 1, 1, 100_000);
        int factor = (int) integer(o, "earlyStop.reductionFactor", "reductionFactor", 3, 2, 100);
        int epochs = base == null ? Integer.MAX_VALUE : base.path("epochs").asInt(Integer.MAX_VALUE);
        if (base != null && base.has("epochs") && minEpochs >= epochs)
            error("earlyStop.minEpochs", "must be below base.epochs (" + epochs + "), or no trial is ever judged (got " + minEpochs + ")");
        return new SweepSpec.EarlyStopSpec("asha", minEpochs, factor);
    }

    /** The grid's points, saturating just above the most a grid may have. */
    private static long gridSize(Space space) {
        BigInteger n = BigInteger.ONE;
        for (Param p : space.list()) n = n.multiply(BigInteger.valueOf(((Param.Choice) p).choices().size()));
        return n.min(BigInteger.valueOf(GridSampler.MAX_POINTS + 1)).longValue();
    }

    // ---- small readers, each recording its problem with the field's full path

    private String choice(ObjectNode o, String key, List<String> allowed, boolean required) {
        return choice(o, key, key, allowed, required);
    }

    private String choice(ObjectNode o, String field, String key, List<String> allowed, boolean required) {
        JsonNode v = o.get(key);
        if (v == null) {
            if (required) error(field, "is required (" + String.join(", ", allowed) + ")");
            return null;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            error(field, "must be one of " + String.join(", ", allowed) + " (got " + (v.isTextual() ? v.asText() : kind(v)) + ")");
            return null;
        }
        return v.asText();
    }

    private long integer(ObjectNode o, String key, long dflt, long min, long max) {
        return integer(o, key, key, dflt, min, max);
    }

    private long integer(ObjectNode o, String field, String key, long dflt, long min, long max) {
        JsonNode v = o.get(key);
        if (v == null) return dflt;
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            error(field, "must be an integer between " + min + " and " + max + " (got " + (v.isNumber() ? v.toString() : kind(v)) + ")");
            return dflt;
        }
        long x = v.asLong();
        if (x < min || x > max) {
            error(field, "must be between " + min + " and " + max + " (got " + x + ")");
            return dflt;
        }
        return x;
    }

    private void rejectUnknown(ObjectNode o, String prefix, List<String> known) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (known.contains(k)) continue;
            String field = prefix.isEmpty() ? k : prefix + "." + k;
            problems.add(new Problem(field, FieldError.UNKNOWN_KEY + " (known: " + String.join(", ", known) + ")",
                    FieldError.UNKNOWN_KEY + " " + field + " (known: " + String.join(", ", known) + ")"));
        }
    }

    private void error(String field, String message) {
        problems.add(new Problem(field, message));
    }

    private ObjectNode readObject(String json) {
        if (json == null || json.isBlank()) {
            error("", "spec is empty (expected a JSON object)");
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? "parse error" : e.getOriginalMessage().replaceAll("\\s+", " ");
            if (msg.length() > 200) msg = msg.substring(0, 200) + "...";
            var loc = e.getLocation();
            error("", "spec is not valid JSON: " + msg + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
            return null;
        }
        if (root == null || !root.isObject()) {
            error("", "spec must be a JSON object (got " + kind(root) + ")");
            return null;
        }
        return (ObjectNode) root;
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isArray()) return "a list";
        if (v.isObject()) return "an object";
        if (v.isBoolean()) return "a boolean";
        return v.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
