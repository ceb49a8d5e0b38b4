package trainwatch.config;

/**
 * Defaults that depend on the dataset (docs/config.md): spiral gets CS231n's
 * setup (mlp 100, full batch of 300, sgd lr 1, reg 1e-3), images a small cnn.
 */
record Defaults(String modelType, String optimizer, double lr, double l2, int batchSize, int epochs, int trainSize, int valSize) {
    static Defaults of(DatasetCatalog ds) {
        if (ds == DatasetCatalog.SPIRAL) return new Defaults("mlp", "sgd", 1.0, 1e-3, 300, 2000, 300, 150);
        return new Defaults("cnn", "adam", 1e-3, 1e-4, 64, 3, 6000, 1000);
    }

    /** lr when optimizer.lr is absent: the dataset's own for its default optimizer, else the type's usual value. */
    double lrFor(String optimizerType) {
        if (optimizerType.equals(optimizer)) return lr;
        return switch (optimizerType) {
            case "adam", "rmsprop" -> 1e-3;
            case "lbfgs" -> 1.0;
            default -> 1e-2;
        };
    }
}
