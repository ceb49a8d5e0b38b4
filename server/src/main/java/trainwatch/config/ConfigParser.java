package trainwatch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;

/**
 * JSON text -> validated {@link RunConfig} (docs/config.md). Applies defaults,
 * rejects unknown keys and wrong types, and reports every problem with the
 * field and the value, first one first (schema order; within an object,
 * unknown keys first). Also checks that a file-backed dataset's files exist
 * (naming the setup command). Reads the JSON as a tree, never binds it, so
 * each problem gets its own message; no ND4J here (the server uses it too).
 */
public final class ConfigParser {
    static final List<String> KEYS = List.of("name", "dataset", "model", "optimizer", "schedule", "l2", "dropout",
            "batchSize", "epochs", "seed", "trainSize", "valSize", "evalEvery", "filtersEvery", "maxIterations", "stopOnDivergence",
            "checkpoints", "averaging", "resources");
    static final int MAX_STOP_EVALUATIONS = 1_000_000;
    static final int MAX_NAME = 100;
    static final long MAX_SEED = (1L << 53) - 1; // survives a trip through JavaScript numbers

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private ConfigParser() {}

    /** Parses with the data directory of {@link DatasetCatalog#dataDir()}. */
    public static RunConfig parse(String json) throws ConfigException {
        return parse(json, DatasetCatalog.dataDir());
    }

    public static RunConfig parse(String json, Path dataDir) throws ConfigException {
        List<FieldError> errors = new ArrayList<>();
        ObjectNode root = readObject(json, errors);
        if (root == null) throw new ConfigException(errors);
        RunConfig config = parse(root, dataDir, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return config;
    }

    private static RunConfig parse(ObjectNode root, Path dataDir, List<FieldError> errors) {
        Fields f = new Fields(root, "", errors);
        f.rejectUnknown(KEYS);
        String rawName = f.string("name").orElse("");
        if (rawName.codePointCount(0, rawName.length()) > MAX_NAME)
            f.error("name", "must be at most " + MAX_NAME + " characters (got " + rawName.codePointCount(0, rawName.length()) + ")");
        String datasetId = f.choice("dataset", DatasetCatalog.ids(), DatasetCatalog.SHAPES.id());
        DatasetCatalog ds = DatasetCatalog.byId(datasetId).orElseThrow();
        if (f.absentOrOneOf("dataset", DatasetCatalog.ids())) checkFiles(f, ds, dataDir);
        Defaults d = Defaults.of(ds);

        ModelConfig model = ModelSection.parse(f.object("model"), ds, d);
        OptimizerConfig optimizer = OptimizerSection.parse(f.object("optimizer"), d);
        ScheduleConfig schedule = ScheduleSection.parse(f.object("schedule"));
        double l2 = f.number("l2", d.l2(), v -> v >= 0, "must be >= 0");
        double dropout = f.number("dropout", 0.0, v -> v >= 0 && v < 1, "must be in [0, 1)");
        int batchSize = (int) f.integer("batchSize", d.batchSize(), 1, 65_536);
        int epochs = (int) f.integer("epochs", d.epochs(), 1, 100_000);
        long seed = f.integer("seed", 42, 0, MAX_SEED);
        int trainSize = (int) f.integer("trainSize", d.trainSize(), 1, ds.maxTrain());
        int valSize = (int) f.integer("valSize", d.valSize(), 1, ds.maxVal());
        if (ds.fileExamples() > 0 && (long) trainSize + valSize > ds.fileExamples())
            f.error("trainSize", "+ valSize must be at most " + ds.fileExamples() + ", the examples in " + ds.id()
                    + "'s training file (got " + trainSize + " + " + valSize + ")");
        int evalEvery = (int) f.integer("evalEvery", 50, 1, 1_000_000_000);
        int filtersEvery = (int) f.integer("filtersEvery", 25, 1, 1_000_000_000);
        int maxIterations = (int) f.integer("maxIterations", 0, 0, 1_000_000_000);
        int stopOnDivergence = stopOnDivergence(f.object("stopOnDivergence"), f.has("stopOnDivergence"));
        Fields cp = f.object("checkpoints");
        cp.rejectUnknown(List.of("keep"));
        int keep = (int) cp.integer("keep", RunConfig.DEFAULT_KEEP_CHECKPOINTS, 1, 1_000);
        double averaging = averaging(f.object("averaging"), f.has("averaging"));
        Resources resources = resources(f.object("resources"));
        if ("lbfgs".equals(optimizer.type())) checkFullBatch(f, dropout, batchSize, trainSize);
        if ("plateau".equals(schedule.type()) && schedule.minLr() >= optimizer.lr())
            f.error("schedule.minLr", "must be below optimizer.lr with schedule.type plateau, or a plateau would raise the rate (got "
                    + schedule.minLr() + " >= lr " + optimizer.lr() + ")");

        String name = rawName.isBlank() ? ds.id() + "-" + model.type() + "-" + optimizer.type() : rawName;
        if (name.codePointCount(0, name.length()) > MAX_NAME) name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
        return new RunConfig(name, ds.id(), model, optimizer, schedule, l2, dropout, batchSize, epochs, seed,
                trainSize, valSize, evalEvery, filtersEvery, maxIterations, stopOnDivergence, keep, averaging, resources);
    }

    /** {"cpu": "2", "memory": "4Gi"}: a Kubernetes Job's requests and limits; each key optional, quantities as Kubernetes writes them. */
    private static Resources resources(Fields f) {
        f.rejectUnknown(List.of("cpu", "memory"));
        String cpu = quantity(f, "cpu", Resources::validCpu, "must be a positive CPU quantity such as \"2\", \"0.5\" or \"500m\"");
        String memory = quantity(f, "memory", Resources::validMemory,
                "must be a positive memory quantity such as \"4Gi\", \"512Mi\" or \"1G\"");
        return cpu == null && memory == null ? Resources.NONE : new Resources(cpu, memory);
    }

    /** A quantity given as a string (or, for convenience, a plain positive number); null when absent or invalid (error recorded). */
    private static String quantity(Fields f, String key, java.util.function.Predicate<String> ok, String rule) {
        if (!f.has(key)) return null;
        JsonNode v = f.raw(key);
        String text = v.isNumber() ? v.asText() : v.isTextual() ? v.textValue().trim() : null;
        if (text == null || !ok.test(text)) {
            f.error(key, rule + " (got " + Got.of(v) + ")");
            return null;
        }
        return text;
    }

    /** {"evaluations": N}: end the run as diverged after N evaluations in a row with an exploded loss. Absent = off (0). */
    private static int stopOnDivergence(Fields f, boolean present) {
        f.rejectUnknown(List.of("evaluations"));
        if (!present) return 0;
        if (!f.has("evaluations")) {
            f.error("evaluations", "is required (an integer between 1 and " + MAX_STOP_EVALUATIONS + ")");
            return 0;
        }
        return (int) f.integer("evaluations", 0, 1, MAX_STOP_EVALUATIONS);
    }

    /** {"decay": d}: keep a Polyak (exponential running) average of the parameters, 0 <= d < 1. Absent = off (NaN). */
    private static double averaging(Fields f, boolean present) {
        f.rejectUnknown(List.of("decay"));
        if (!present) return Double.NaN;
        return f.number("decay", 0.999, v -> v >= 0 && v < 1, "must be in [0, 1)");
    }

    /** L-BFGS's line search needs the same deterministic objective at every evaluation: the full batch, no dropout. */
    private static void checkFullBatch(Fields f, double dropout, int batchSize, int trainSize) {
        if (dropout > 0) f.error("dropout", "must be 0 with optimizer.type lbfgs, whose line search needs a deterministic loss (got " + dropout + ")");
        if (batchSize < trainSize)
            f.error("batchSize", "must be >= trainSize with optimizer.type lbfgs, which works on the full batch (got " + batchSize + " < " + trainSize + ")");
    }

    private static void checkFiles(Fields f, DatasetCatalog ds, Path dataDir) {
        List<Path> missing = ds.missingFiles(dataDir);
        if (missing.isEmpty()) return;
        String files = missing.stream().map(p -> p + "[.gz]").collect(Collectors.joining(", "));
        f.error("dataset", ds.id() + " is not set up (missing " + files + "): run `" + DatasetCatalog.SETUP_COMMAND + "`");
    }

    /** The root object, or null after recording why the text is not one. */
    private static ObjectNode readObject(String json, List<FieldError> errors) {
        if (json == null || json.isBlank()) {
            errors.add(new FieldError("", "config is empty (expected a JSON object)"));
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("", "config is not valid JSON: " + describe(e)));
            return null;
        }
        if (root == null || !root.isObject()) {
            String kind = root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            errors.add(new FieldError("", "config must be a JSON object (got " + kind + ")"));
            return null;
        }
        return (ObjectNode) root;
    }

    /** Jackson's reason on one line, with where it happened. */
    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? "parse error" : e.getOriginalMessage();
        // Jackson names a nested location as "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1]": keep only where
        msg = msg.replaceAll("(?s)\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        msg = msg.replaceAll("\\s+", " ").trim();
        if (msg.length() > 200) msg = msg.substring(0, 200) + "...";
        var loc = e.getLocation();
        return loc == null ? msg : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** The same config as JSON, with every default filled in (what runs/&lt;id&gt;/config.json holds); parses back to an equal config. */
    public static String toJson(RunConfig config) {
        return ConfigWriter.write(config);
    }
}
