package trainwatch.config;

import java.util.List;

/**
 * One config per documented bound (docs/config.md), each just outside it, with
 * the field the refusal must name. Everything else is a default, so the bound
 * under test is the only problem.
 */
public final class OutOfBoundsConfigs {
    public record Case(String json, String field) {}

    private OutOfBoundsConfigs() {}

    public static List<Case> all() {
        String spiral = "\"dataset\": \"spiral\", ";
        return List.of(
                c("{\"name\": \"" + "n".repeat(101) + "\"}", "name"),
                c("{\"dataset\": \"cifar10\"}", "dataset"),
                c("{\"model\": {\"type\": \"rnn\"}}", "model.type"),
                c("{" + spiral + "\"model\": {\"type\": \"cnn\"}}", "model.type"),
                c("{\"model\": {\"hidden\": [0]}}", "model.hidden[0]"),
                c("{\"model\": {\"hidden\": [8193]}}", "model.hidden[0]"),
                c("{\"model\": {\"hidden\": [1, 1, 1, 1, 1, 1, 1, 1, 1]}}", "model.hidden"),
                c("{\"model\": {\"type\": \"mlp\", \"hidden\": [8192, 8192]}}", "model.hidden"),
                c("{\"model\": {\"filters\": 0}}", "model.filters"),
                c("{\"model\": {\"filters\": 257}}", "model.filters"),
                c("{\"model\": {\"kernel\": 0}}", "model.kernel"),
                c("{\"model\": {\"kernel\": 28}}", "model.kernel"),
                c("{\"optimizer\": {\"type\": \"adamw\"}}", "optimizer.type"),
                c("{\"optimizer\": {\"lr\": 0}}", "optimizer.lr"),
                c("{\"optimizer\": {\"type\": \"momentum\", \"momentum\": 1}}", "optimizer.momentum"),
                c("{\"optimizer\": {\"type\": \"nesterov\", \"momentum\": -0.0001}}", "optimizer.momentum"),
                c("{\"optimizer\": {\"type\": \"adam\", \"beta1\": 1}}", "optimizer.beta1"),
                c("{\"optimizer\": {\"type\": \"adam\", \"beta2\": 1}}", "optimizer.beta2"),
                c("{\"optimizer\": {\"type\": \"adam\", \"eps\": 0}}", "optimizer.eps"),
                c("{\"optimizer\": {\"type\": \"adagrad\", \"eps\": 1.0001}}", "optimizer.eps"),
                c("{\"optimizer\": {\"type\": \"rmsprop\", \"decay\": 1}}", "optimizer.decay"),
                c("{\"optimizer\": {\"type\": \"sgd\", \"momentum\": 0.9}}", "optimizer.momentum"),
                c("{\"schedule\": {\"type\": \"cosine\"}}", "schedule.type"),
                c("{\"schedule\": {\"type\": \"plateau\", \"factor\": 1}}", "schedule.factor"),
                c("{\"schedule\": {\"type\": \"plateau\", \"factor\": 0}}", "schedule.factor"),
                c("{\"schedule\": {\"type\": \"step\", \"factor\": 1.0000001}}", "schedule.factor"),
                c("{\"schedule\": {\"type\": \"step\", \"every\": 0}}", "schedule.every"),
                c("{\"schedule\": {\"type\": \"step\", \"every\": 1000000001}}", "schedule.every"),
                c("{\"schedule\": {\"type\": \"step\", \"unit\": \"batch\"}}", "schedule.unit"),
                c("{\"schedule\": {\"type\": \"exponential\", \"gamma\": 1.0001}}", "schedule.gamma"),
                c("{\"schedule\": {\"type\": \"exponential\", \"gamma\": 0}}", "schedule.gamma"),
                c("{\"schedule\": {\"type\": \"inverse\", \"gamma\": 0}}", "schedule.gamma"),
                c("{\"schedule\": {\"type\": \"inverse\", \"power\": 0}}", "schedule.power"),
                c("{\"schedule\": {\"type\": \"inverse\", \"power\": 10.0001}}", "schedule.power"),
                c("{\"schedule\": {\"type\": \"plateau\", \"patience\": 0}}", "schedule.patience"),
                c("{\"schedule\": {\"type\": \"plateau\", \"patience\": 1000001}}", "schedule.patience"),
                c("{\"schedule\": {\"type\": \"plateau\", \"minLr\": -1e-9}}", "schedule.minLr"),
                c("{\"optimizer\": {\"lr\": 0.001}, \"schedule\": {\"type\": \"plateau\", \"minLr\": 0.001}}", "schedule.minLr"),
                c("{\"schedule\": {\"type\": \"constant\", \"factor\": 0.5}}", "schedule.factor"),
                c("{\"l2\": -1e-12}", "l2"),
                c("{\"dropout\": 1}", "dropout"),
                c("{\"dropout\": -0.01}", "dropout"),
                c("{" + spiral + "\"optimizer\": {\"type\": \"lbfgs\"}, \"dropout\": 0.1}", "dropout"),
                c("{" + spiral + "\"optimizer\": {\"type\": \"lbfgs\"}, \"batchSize\": 299}", "batchSize"),
                c("{\"batchSize\": 0}", "batchSize"),
                c("{\"batchSize\": 65537}", "batchSize"),
                c("{\"epochs\": 0}", "epochs"),
                c("{\"epochs\": 100001}", "epochs"),
                c("{\"seed\": -1}", "seed"),
                c("{\"seed\": 9007199254740992}", "seed"),
                c("{\"trainSize\": 0}", "trainSize"),
                c("{" + spiral + "\"trainSize\": 30001}", "trainSize"),
                c("{\"trainSize\": 60001}", "trainSize"),
                c("{\"valSize\": 0}", "valSize"),
                c("{" + spiral + "\"valSize\": 30001}", "valSize"),
                c("{\"valSize\": 10001}", "valSize"),
                c("{\"evalEvery\": 0}", "evalEvery"),
                c("{\"evalEvery\": 1000000001}", "evalEvery"),
                c("{\"filtersEvery\": 0}", "filtersEvery"),
                c("{\"filtersEvery\": 1000000001}", "filtersEvery"),
                c("{\"maxIterations\": -1}", "maxIterations"),
                c("{\"maxIterations\": 1000000001}", "maxIterations"),
                c("{\"stopOnDivergence\": {\"evaluations\": 0}}", "stopOnDivergence.evaluations"),
                c("{\"stopOnDivergence\": {\"evaluations\": 1000001}}", "stopOnDivergence.evaluations"),
                c("{\"stopOnDivergence\": {}}", "stopOnDivergence.evaluations"),
                c("{\"stopOnDivergence\": 3}", "stopOnDivergence"),
                c("{\"stopOnDivergence\": {\"evaluation\": 3}}", "stopOnDivergence.evaluation"));
    }

    private static Case c(String json, String field) {
        return new Case(json, field);
    }
}
