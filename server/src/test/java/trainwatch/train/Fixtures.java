package trainwatch.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import trainwatch.config.RunConfig;
import trainwatch.config.RunConfig.ModelConfig;
import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;
import trainwatch.config.DatasetCatalog;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.data.Shapes;
import trainwatch.data.Spiral;
import trainwatch.testkit.MemoryRunWriter;

/** Small datasets (the cli's generators, an IDX fixture) and config records for the trainer's tests. */
final class Fixtures {
    private Fixtures() {}

    /** The cli's CS231n spiral: 3 arms of perClass points, and a validation draw of the same size. */
    static Dataset spiral(int perClass, long seed) {
        return Spiral.generate(3 * perClass, 3 * perClass, seed);
    }

    /** Trains cfg to the end (no stop, no progress) on a spiral of perClass points per arm drawn with the config's seed. */
    static TrainOutcome trainOnSpiral(RunConfig cfg, int perClass, MemoryRunWriter out) {
        return Trainer.train(cfg, spiral(perClass, cfg.seed()), out, ProgressObserver.NONE, () -> false);
    }

    /** The cli's generated shapes (the embedded default dataset). */
    static Dataset shapes(int train, int val, long seed) {
        return Shapes.generate(train, val, seed);
    }

    /**
     * An MNIST-shaped fixture written as the two training IDX files (10 classes
     * of 28x28 bytes, mostly black with a few bright strokes like MNIST's ~19%
     * lit pixels: the statistics the initial loss depends on) under
     * dataDir/mnist, then loaded the way a run loads mnist.
     */
    static Dataset mnist(Path dataDir, int train, int val, long seed) throws IOException {
        int n = train + val;
        Random r = new Random(seed);
        float[] x = new float[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) strokes(x, i, r);
        Path dir = Files.createDirectories(dataDir.resolve("mnist"));
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(dir.resolve(DatasetCatalog.TRAIN_IMAGES)));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve(DatasetCatalog.TRAIN_LABELS)))) {
            images.writeInt(0x00000803);
            images.writeInt(n);
            images.writeInt(28);
            images.writeInt(28);
            for (float v : x) images.writeByte(Math.round(v * 255));
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            lab.write(labels);
        }
        RunConfig cfg = new RunConfig("m", "mnist", new ModelConfig("mlp", List.of(), 0, 0), opt("sgd", 0.1), constant(),
                0, 0, 64, 1, seed, train, val, 50, 25, 0);
        return Datasets.load(cfg, dataDir);
    }

    private static int strokes(float[] x, int e, Random r) {
        int cls = r.nextInt(10);
        int off = e * 784;
        double angle = cls * Math.PI / 10;
        for (int k = 0; k < 3; k++) {
            double x0 = 8 + r.nextInt(12), y0 = 4 + r.nextInt(4);
            for (int t = 0; t < 20; t++) {
                int px = (int) (x0 + t * Math.sin(angle + k)), py = (int) (y0 + t * Math.cos(angle));
                for (int w = 0; w < 2; w++) {
                    int qx = px + w;
                    if (qx >= 4 && qx < 24 && py >= 4 && py < 24) x[off + py * 28 + qx] = (128 + r.nextInt(128)) / 255f;
                }
            }
        }
        return cls;
    }

    static RunConfig mlp(String dataset, List<Integer> hidden, OptimizerConfig opt, int batchSize, int epochs, long seed) {
        return new RunConfig("test", dataset, new ModelConfig("mlp", hidden, 0, 0), opt, constant(),
                0, 0, batchSize, epochs, seed, 0, 0, 50, 25, 0);
    }

    static RunConfig cnn(OptimizerConfig opt, int batchSize, int epochs, long seed) {
        return new RunConfig("test", "shapes", new ModelConfig("cnn", List.of(64), 8, 5), opt, constant(),
                0, 0, batchSize, epochs, seed, 0, 0, 50, 25, 0);
    }

    static OptimizerConfig opt(String type, double lr) {
        return new OptimizerConfig(type, lr, 0.9, 0.9, 0.999, 1e-8, 0.95);
    }

    static ScheduleConfig constant() {
        return new ScheduleConfig("constant", 0, 0, "iteration", 0, 0, 0, 0);
    }
}
