package trainwatch.ensemble;

import java.nio.file.Path;
import java.time.Clock;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Datasets;
import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/** Trains small runs in this process into a runs directory, as `train CONFIG.json` would. */
final class TinyRuns {
    private TinyRuns() {}

    /** A run of the config text; returns its id (asserting it finished). */
    static String train(Path runs, String configJson) throws Exception {
        RunConfig cfg = ConfigParser.parse(configJson);
        RunStore store = new RunStore(runs, Clock.systemUTC());
        String id = store.newId();
        store.create(id, ConfigParser.toJson(cfg), RunStatus.QUEUED, "");
        TrainOutcome o;
        try (RunWriter w = store.openWriter(id)) {
            o = Trainer.train(cfg, Datasets.load(cfg), w, ProgressObserver.NONE, () -> false);
        }
        if (o.status() != RunStatus.FINISHED) throw new AssertionError("run " + id + " ended " + o.status() + ": " + o.reason());
        return id;
    }

    static String spiral(long seed, int epochs) {
        return "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, \"epochs\": " + epochs
                + ", \"seed\": " + seed + ", \"evalEvery\": 10}";
    }

    /** A small cnn on 1000 generated shapes, 2 epochs of batch 50: ~40 steps. */
    static String shapes(long seed) {
        return "{\"dataset\": \"shapes\", \"model\": {\"type\": \"cnn\", \"filters\": 4, \"kernel\": 5, \"hidden\": [32]},"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.003}, \"batchSize\": 50, \"epochs\": 2, \"trainSize\": 1000,"
                + " \"valSize\": 500, \"seed\": " + seed + ", \"evalEvery\": 20}";
    }
}
