package trainwatch.web;

/** Tiny run configs so browser tests stay fast on a loaded 2-core machine. */
final class Configs {
    private Configs() {}

    /**
     * Spiral MLP that cannot finish while a test looks at it: 100000 epochs of 3 batches is
     * 300k steps (several minutes at the fastest step time measured); tests stop it.
     */
    static String longSpiral(String name) {
        return spiral(name, LONG_EPOCHS);
    }

    static final int LONG_EPOCHS = 100_000;

    /** Spiral MLP, batches of 100 (3 steps an epoch). */
    static String spiral(String name, int epochs) {
        return """
                {"name": %s, "dataset": "spiral", "model": {"type": "mlp", "hidden": [32]},
                 "optimizer": {"type": "sgd", "lr": 0.5}, "schedule": {"type": "constant"},
                 "l2": 0.0001, "batchSize": 100, "epochs": %d, "evalEvery": 50, "seed": 1}""".formatted(quote(name), epochs);
    }

    /** Shapes CNN on a few hundred images: filters and train/val within seconds. */
    static String smallShapes(String name) {
        return """
                {"name": %s, "dataset": "shapes", "model": {"type": "cnn", "filters": 4, "kernel": 5, "hidden": [16]},
                 "optimizer": {"type": "adam", "lr": 0.003}, "schedule": {"type": "constant"},
                 "l2": 0.0001, "batchSize": 32, "epochs": 2, "trainSize": 256, "valSize": 64,
                 "evalEvery": 4, "filtersEvery": 4, "seed": 3}""".formatted(quote(name));
    }

    /** Spiral with plain SGD at a rate that overflows the float weights (NaN loss by step ~3); 1e6 would only saturate (DL4J clips the softmax probabilities). */
    static String diverging(String name) {
        return """
                {"name": %s, "dataset": "spiral", "model": {"type": "mlp", "hidden": [100]},
                 "optimizer": {"type": "sgd", "lr": 1.0E9}, "schedule": {"type": "constant"},
                 "l2": 0.0, "batchSize": 300, "epochs": 200, "evalEvery": 10, "seed": 7}""".formatted(quote(name));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
