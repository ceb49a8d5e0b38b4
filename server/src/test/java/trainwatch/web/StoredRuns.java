package trainwatch.web;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongToDoubleFunction;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * Runs written straight into a run directory with the store's own writer, as a
 * trainer would, but in seconds: a million-step curve without training one.
 * Every step carries loss, reg_loss, train_acc, two layers' update ratio and lr;
 * val_loss and val_acc come every {@code evalEvery} steps. A test clock moves
 * {@code msPerStep} per step so wall times look like a real run's.
 */
final class StoredRuns {
    static final String[] STEP_TAGS = {"loss", "reg_loss", "train_acc", "update_ratio/layer0", "update_ratio/layer1",
            "lr/layer0", "lr/layer1"};
    static final String[] VAL_TAGS = {"val_loss", "val_acc"};

    /** A hand-moved clock: the writer stamps each record with it. */
    static final class StepClock extends Clock {
        long millis = 1_795_700_000_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    final RunStore store;
    final StepClock clock = new StepClock();

    StoredRuns(Path runs) {
        this.store = new RunStore(runs, clock);
    }

    /** Steps per epoch of the runs written next (trainSize = 300 x this, batch 300). */
    int stepsPerEpoch = 1;
    /** The reg_loss curve of the runs written next (step, steps) -> value; null = a small decaying term. */
    java.util.function.LongFunction<Double> reg;
    String optimizer = "sgd";

    /** A spiral config whose plan is {@code steps} steps, val every {@code evalEvery}. */
    String config(String name, long steps, int evalEvery) {
        return """
                {"name": %s, "dataset": "spiral", "model": {"type": "mlp", "hidden": [32]},
                 "optimizer": {"type": "%s", "lr": 0.5}, "schedule": {"type": "constant"},
                 "l2": 0.001, "dropout": 0.0, "batchSize": 300, "epochs": %d, "seed": 1,
                 "trainSize": %d, "valSize": 150, "evalEvery": %d, "filtersEvery": 0}"""
                .formatted(Configs.quote(name), optimizer, (steps + stepsPerEpoch - 1) / stepsPerEpoch, 300 * stepsPerEpoch, evalEvery);
    }

    /** The healthy curve: loss decays from ~1.1 towards 0.2 over the run, accuracy rises. */
    static LongToDoubleFunction decaying(long steps) {
        return s -> 0.2 + 0.9 * Math.exp(-4.0 * s / steps) + 0.03 * Math.sin(s * 0.7);
    }

    /** Writes a whole run and closes it with {@code status}; returns its id. */
    String write(String name, long steps, int evalEvery, LongToDoubleFunction loss, RunStatus status) {
        String id = store.newId();
        store.create(id, config(name, steps, evalEvery), RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            append(w, 0, steps, evalEvery, loss);
            w.status(status, status == RunStatus.FINISHED ? "" : "stopped by the test");
        }
        return id;
    }

    /** Opens a run that stays running (this process holds its trainer lock) after {@code steps} steps. */
    RunWriter open(String name, long planned, long steps, int evalEvery, LongToDoubleFunction loss) {
        String id = store.newId();
        store.create(id, config(name, planned, evalEvery), RunStatus.QUEUED, "");
        RunWriter w = store.openWriter(id);
        w.status(RunStatus.RUNNING, "");
        append(w, 0, steps, evalEvery, loss);
        w.flush();
        return w;
    }

    static String idOf(RunWriter w) {
        return w.checkpointDir().getParent().getFileName().toString();
    }

    /** Steps [from, to): every step's tags, val tags on multiples of evalEvery and on the last step. */
    void append(RunWriter w, long from, long to, int evalEvery, LongToDoubleFunction loss) {
        double[] v = new double[STEP_TAGS.length];
        double[] val = new double[VAL_TAGS.length];
        for (long s = from; s < to; s++) {
            clock.millis += 10;
            double l = loss.applyAsDouble(s);
            v[0] = l;
            v[1] = reg != null ? reg.apply(s) : 0.01 * Math.exp(-s / (double) Math.max(1, to));
            v[2] = Double.isFinite(l) ? Math.max(0, Math.min(1, 1.15 - l)) : l;
            v[3] = 1e-3 * (1 + 0.3 * Math.sin(s * 0.01));
            v[4] = 3e-4 * (1 + 0.3 * Math.cos(s * 0.013));
            v[5] = 0.5;
            v[6] = 0.5;
            w.scalars(s, STEP_TAGS, v);
            if (s % evalEvery == 0 || s == to - 1) {
                val[0] = Double.isFinite(l) ? l * 1.05 + 0.02 : l;
                val[1] = Double.isFinite(l) ? Math.max(0, Math.min(1, 1.05 - l)) : l;
                w.scalars(s, VAL_TAGS, val);
            }
        }
    }
}
