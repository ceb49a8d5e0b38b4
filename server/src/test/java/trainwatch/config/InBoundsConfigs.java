package trainwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Run configs drawn at random from inside the bounds docs/config.md states
 * (edges included), on the generated datasets at tiny sizes so each trains a
 * step in milliseconds. Every config has maxIterations 1: one step is the
 * question ("does the model accept what the parser accepted?").
 */
public final class InBoundsConfigs {
    private final Random r;

    public InBoundsConfigs(long seed) {
        this.r = new Random(seed);
    }

    public String next() {
        boolean spiral = r.nextDouble() < 0.6;
        String optimizer = pick("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "lbfgs");
        boolean lbfgs = optimizer.equals("lbfgs");
        int trainSize = 1 + r.nextInt(spiral ? 30 : 12);
        int batchSize = lbfgs ? trainSize + r.nextInt(65_537 - trainSize) : pickInt(1, 65_536);
        double lr = r.nextDouble() < 0.1 ? pickD(1e-12, 100.0) : Math.pow(10, -6 + 7 * r.nextDouble());
        List<String> keys = new ArrayList<>();
        keys.add(kv("name", quote(name())));
        keys.add(kv("dataset", quote(spiral ? "spiral" : "shapes")));
        keys.add(kv("model", model(spiral)));
        keys.add(kv("optimizer", optimizer(optimizer, lr)));
        keys.add(kv("schedule", schedule(lr)));
        keys.add(kv("l2", num(r.nextDouble() < 0.3 ? 0 : r.nextDouble() < 0.1 ? 1e3 : Math.pow(10, -8 + 8 * r.nextDouble()))));
        keys.add(kv("dropout", num(lbfgs || r.nextDouble() < 0.5 ? 0 : r.nextDouble() < 0.1 ? 0.999 : 0.9 * r.nextDouble())));
        keys.add(kv("batchSize", Integer.toString(batchSize)));
        keys.add(kv("epochs", Integer.toString(pickInt(1, 100_000))));
        keys.add(kv("seed", Long.toString(r.nextDouble() < 0.1 ? pickL(0, (1L << 53) - 1) : r.nextInt(1_000_000))));
        keys.add(kv("trainSize", Integer.toString(trainSize)));
        keys.add(kv("valSize", Integer.toString(1 + r.nextInt(10))));
        keys.add(kv("evalEvery", Integer.toString(pickInt(1, 1_000_000_000))));
        keys.add(kv("filtersEvery", Integer.toString(pickInt(1, 1_000_000_000))));
        keys.add(kv("maxIterations", "1"));
        if (r.nextBoolean()) keys.add(kv("stopOnDivergence", "{" + kv("evaluations", Integer.toString(pickInt(1, 1_000_000))) + "}"));
        return "{" + String.join(", ", keys) + "}";
    }

    private String model(boolean spiral) {
        boolean cnn = !spiral && r.nextBoolean();
        List<String> hidden = new ArrayList<>();
        int layers = r.nextDouble() < 0.1 ? 8 : r.nextInt(4);
        boolean wide = r.nextDouble() < 0.05 && layers > 0;
        for (int i = 0; i < layers; i++)
            hidden.add(Integer.toString(wide && i == 0 ? (spiral ? 8192 : 1024) : 1 + r.nextInt(r.nextDouble() < 0.2 ? 64 : 8)));
        String h = kv("hidden", "[" + String.join(", ", hidden) + "]");
        if (!cnn) return "{" + kv("type", quote("mlp")) + ", " + h + "}";
        int kernel = pickInt(1, 27);
        int filters = r.nextDouble() < 0.1 ? 256 : 1 + r.nextInt(4);
        return "{" + kv("type", quote("cnn")) + ", " + kv("filters", Integer.toString(filters)) + ", " + kv("kernel", Integer.toString(kernel)) + ", " + h + "}";
    }

    private String optimizer(String type, double lr) {
        List<String> keys = new ArrayList<>(List.of(kv("type", quote(type)), kv("lr", num(lr))));
        for (String k : OptimizerSection.USES.get(type)) {
            if (!r.nextBoolean()) continue; // absent: the default
            switch (k) {
                case "momentum", "beta1", "beta2", "decay" -> keys.add(kv(k, num(pickD(0.0, 0.999999))));
                case "eps" -> keys.add(kv(k, num(r.nextDouble() < 0.2 ? 1.0 : Math.pow(10, -12 + 12 * r.nextDouble()))));
                default -> { }
            }
        }
        return "{" + String.join(", ", keys) + "}";
    }

    private String schedule(double lr) {
        String type = pick("constant", "step", "exponential", "inverse", "plateau");
        List<String> keys = new ArrayList<>(List.of(kv("type", quote(type))));
        for (String k : ScheduleSection.USES.get(type)) {
            if (!r.nextBoolean()) continue;
            switch (k) {
                case "factor" -> keys.add(kv(k, num(type.equals("plateau") ? pickD(1e-6, 0.999999) : pickD(1e-6, 1.0))));
                case "every" -> keys.add(kv(k, Integer.toString(pickInt(1, 1_000_000_000))));
                case "unit" -> keys.add(kv(k, quote(pick("iteration", "epoch"))));
                case "gamma" -> keys.add(kv(k, num(type.equals("inverse") ? pickD(1e-6, 1e6) : pickD(1e-6, 1.0))));
                case "power" -> keys.add(kv(k, num(pickD(1e-6, 10.0))));
                case "patience" -> keys.add(kv(k, Integer.toString(pickInt(1, 1_000_000))));
                case "minLr" -> keys.add(kv(k, num(r.nextBoolean() ? 0 : lr * 0.999 * r.nextDouble())));
                default -> { }
            }
        }
        return "{" + String.join(", ", keys) + "}";
    }

    private String name() {
        int n = r.nextDouble() < 0.1 ? 100 : r.nextInt(20);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) ('a' + r.nextInt(26)));
        return b.toString();
    }

    /** An edge with probability 0.2 each, else uniform inside. */
    private int pickInt(int min, int max) {
        double u = r.nextDouble();
        if (u < 0.2) return min;
        if (u < 0.4) return max;
        return min + (int) (r.nextDouble() * ((long) max - min + 1));
    }

    private long pickL(long min, long max) {
        double u = r.nextDouble();
        if (u < 0.3) return min;
        if (u < 0.6) return max;
        return min + (long) (r.nextDouble() * (max - min));
    }

    private double pickD(double min, double max) {
        double u = r.nextDouble();
        if (u < 0.2) return min;
        if (u < 0.4) return max;
        return min + r.nextDouble() * (max - min);
    }

    private String pick(String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String kv(String k, String v) {
        return quote(k) + ": " + v;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
