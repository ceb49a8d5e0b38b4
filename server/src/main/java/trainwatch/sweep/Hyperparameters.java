package trainwatch.sweep;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which run-config paths a sweep may search: the model, the optimizer, the schedule and the
 * regularisation and batch settings. Everything else in a run config (name, dataset, epochs,
 * sizes, seed, how often things are recorded) says what is trained and measured, and a sweep
 * that changed it would compare trials that are not comparable.
 */
final class Hyperparameters {
    static final Set<String> PATHS = Set.of(
            "model", "model.type", "model.hidden", "model.filters", "model.kernel",
            "optimizer", "optimizer.type", "optimizer.lr", "optimizer.momentum", "optimizer.beta1", "optimizer.beta2",
            "optimizer.eps", "optimizer.decay",
            "schedule", "schedule.type", "schedule.factor", "schedule.every", "schedule.unit", "schedule.gamma",
            "schedule.power", "schedule.patience", "schedule.minLr",
            "l2", "dropout", "batchSize");

    /** Run-config keys that exist but are not hyperparameters. */
    static final List<String> NOT_SEARCHED = List.of("name", "dataset", "epochs", "seed", "trainSize", "valSize", "evalEvery",
            "filtersEvery", "maxIterations", "stopOnDivergence", "checkpoints", "checkpoints.keep");

    private Hyperparameters() {}

    /** Why a path cannot be searched, or empty when it can. */
    static Optional<String> refuse(String path) {
        if (PATHS.contains(path)) return Optional.empty();
        if (NOT_SEARCHED.contains(path))
            return Optional.of("is not a hyperparameter (it says what is trained and measured); a sweep searches model.*, optimizer.*, "
                    + "schedule.*, l2, dropout and batchSize");
        return Optional.of("is not a run-config key a sweep can search (model.*, optimizer.*, schedule.*, l2, dropout, batchSize)");
    }
}
