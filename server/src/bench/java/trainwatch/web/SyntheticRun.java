package trainwatch.web;

import java.time.Clock;
import java.util.Random;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/** Writes a made-up training run through the store's own RunWriter: loss, accuracies, per-layer lr and update ratios. */
final class SyntheticRun {
    static final String[] LAYERS = {"conv1", "dense1", "output"};
    static final String CONFIG = """
            {"name": "%s", "dataset": "shapes", "model": {"type": "cnn", "filters": 8, "kernel": 5, "hidden": [64]},
             "optimizer": {"type": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
             "schedule": {"type": "constant"}, "l2": 0.0001, "dropout": 0.0, "batchSize": 64, "epochs": 10000,
             "seed": 42, "trainSize": 6400, "valSize": 1000, "evalEvery": 50, "filtersEvery": 25, "maxIterations": 0}""";

    private final String[] tags;
    private final Random rnd = new Random(1);

    SyntheticRun() {
        tags = new String[3 + 2 * LAYERS.length];
        tags[0] = "loss";
        tags[1] = "train_acc";
        tags[2] = "examples_per_sec";
        for (int i = 0; i < LAYERS.length; i++) {
            tags[3 + i] = "lr/" + LAYERS[i];
            tags[3 + LAYERS.length + i] = "update_ratio/" + LAYERS[i];
        }
    }

    static String create(RunStore store, String name, RunStatus initial) {
        String id = store.newId();
        store.create(id, CONFIG.formatted(name), initial, "");
        return id;
    }

    /** One step's records (val_acc/val_loss every 50 steps). */
    void step(RunWriter w, long step) {
        double t = step / 200_000.0;
        double loss = 0.05 + 2.25 * Math.exp(-3 * t) + 0.08 * rnd.nextGaussian() * Math.exp(-t);
        if (step % 97_001 == 5) loss *= 8; // rare spikes the downsampling must keep
        double[] v = new double[tags.length];
        v[0] = Math.max(0.001, loss);
        v[1] = Math.min(1, 1 - v[0] / 2.4);
        v[2] = 950 + 30 * rnd.nextGaussian();
        for (int i = 0; i < LAYERS.length; i++) {
            v[3 + i] = 0.001 * Math.pow(0.5, Math.floor(step / 250_000.0));
            v[3 + LAYERS.length + i] = 1e-3 * (i + 1) * Math.exp(-t) * (0.7 + 0.6 * rnd.nextDouble());
        }
        w.scalars(step, tags, v);
        if (step % 50 == 0) w.scalars(step, new String[] {"val_loss", "val_acc"}, new double[] {v[0] * 1.1, Math.min(1, 1 - v[0] / 2.2)});
        if (step % 25_000 == 0) w.filters(step, new int[] {8, 1, 5, 5}, filters(step));
    }

    float[] filters(long step) {
        float[] f = new float[200];
        for (int i = 0; i < f.length; i++) f[i] = (float) (Math.sin(i * 0.7 + step * 1e-5) + 0.3 * rnd.nextGaussian());
        return f;
    }

    /** A finished run of n steps, written as fast as the store takes it. */
    static String writeFinished(RunStore store, String name, long n) {
        String id = create(store, name, RunStatus.QUEUED);
        SyntheticRun gen = new SyntheticRun();
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (long s = 0; s < n; s++) gen.step(w, s);
            w.status(RunStatus.FINISHED, "");
        }
        return id;
    }

    static RunStore store(java.nio.file.Path root) {
        return new RunStore(root, Clock.systemUTC());
    }
}
