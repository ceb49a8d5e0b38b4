package trainwatch.config;

import java.util.List;

import trainwatch.config.RunConfig.ModelConfig;

/** Parses and checks "model": mlp {hidden} or cnn {filters, kernel, hidden}, sized to fit the dataset. */
final class ModelSection {
    static final List<String> TYPES = List.of("mlp", "cnn");
    static final List<String> KEYS = List.of("type", "hidden", "filters", "kernel");
    static final long MAX_PARAMS = 20_000_000L;
    static final int MAX_LAYERS = 8;
    static final int MAX_WIDTH = 8192;
    static final int IMAGE_SIDE = 28;

    private ModelSection() {}

    static ModelConfig parse(Fields f, DatasetCatalog ds, Defaults d) {
        f.rejectUnknown(KEYS);
        String type = f.choice("type", TYPES, d.modelType());
        boolean checkKeys = f.absentOrOneOf("type", TYPES);
        if (type.equals("cnn") && !ds.isImage()) {
            f.error("type", "cnn needs image data (dataset " + ds.id() + " has " + ds.features() + "-D points; use mlp)");
            type = "mlp";
            checkKeys = false;
        }
        if (type.equals("mlp") && checkKeys) f.rejectInapplicable(KEYS, List.of("type", "hidden"), "model.type mlp");
        List<Integer> hidden = f.integers("hidden", MAX_LAYERS, 1, MAX_WIDTH);
        if (hidden == null) hidden = defaultHidden(type);
        int filters = (int) f.integer("filters", 8, 1, 256);
        int kernel = (int) f.integer("kernel", 5, 1, IMAGE_SIDE - 1);
        ModelConfig m = new ModelConfig(type, List.copyOf(hidden), filters, kernel);
        long params = parameters(m, ds);
        if (params > MAX_PARAMS)
            f.error("hidden", String.format("makes a model of %,d parameters (max %,d): use fewer or smaller layers", params, MAX_PARAMS));
        return m;
    }

    static List<Integer> defaultHidden(String type) {
        return type.equals("cnn") ? List.of(64) : List.of(100);
    }

    /** Weights + biases of the model the trainer builds (cnn: conv k x k, no padding, then 2x2 max-pool). */
    static long parameters(ModelConfig m, DatasetCatalog ds) {
        long params = 0;
        long in = ds.features();
        if (m.type().equals("cnn")) {
            long channels = ds.exampleShape()[0];
            params += (long) m.filters() * channels * m.kernel() * m.kernel() + m.filters();
            long side = (IMAGE_SIDE - m.kernel() + 1) / 2;
            in = m.filters() * side * side;
        }
        for (int h : m.hidden()) {
            params += in * h + h;
            in = h;
        }
        return params + in * ds.numClasses() + ds.numClasses();
    }
}
