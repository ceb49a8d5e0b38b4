package trainwatch.config;

import java.util.List;
import java.util.Map;

import trainwatch.config.RunConfig.OptimizerConfig;

/** Parses and checks "optimizer": the type and only the hyperparameters that type uses. */
final class OptimizerSection {
    static final List<String> KEYS = List.of("type", "lr", "momentum", "beta1", "beta2", "eps", "decay");
    static final Map<String, List<String>> USES = Map.of(
            "sgd", List.of("type", "lr"),
            "momentum", List.of("type", "lr", "momentum"),
            "nesterov", List.of("type", "lr", "momentum"),
            "adagrad", List.of("type", "lr", "eps"),
            "rmsprop", List.of("type", "lr", "decay", "eps"),
            "adam", List.of("type", "lr", "beta1", "beta2", "eps"),
            "lbfgs", List.of("type", "lr"));
    static final List<String> TYPES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "lbfgs");

    private OptimizerSection() {}

    static OptimizerConfig parse(Fields f, Defaults d) {
        f.rejectUnknown(KEYS);
        String type = f.choice("type", TYPES, d.optimizer());
        if (f.absentOrOneOf("type", TYPES)) f.rejectInapplicable(KEYS, USES.get(type), "optimizer.type " + type);
        double lr = f.number("lr", d.lrFor(type), v -> v > 0, "must be > 0");
        double momentum = f.number("momentum", 0.9, v -> v >= 0 && v < 1, "must be in [0, 1)");
        double beta1 = f.number("beta1", 0.9, v -> v >= 0 && v < 1, "must be in [0, 1)");
        double beta2 = f.number("beta2", 0.999, v -> v >= 0 && v < 1, "must be in [0, 1)");
        double eps = f.number("eps", defaultEps(type), v -> v > 0 && v <= 1, "must be in (0, 1]");
        double decay = f.number("decay", 0.99, v -> v >= 0 && v < 1, "must be in [0, 1)");
        return new OptimizerConfig(type, lr, momentum, beta1, beta2, eps, decay);
    }

    static double defaultEps(String type) {
        return type.equals("adagrad") ? 1e-6 : 1e-8;
    }
}
