package trainwatch.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Cheap deterministic objectives for comparing samplers, and a sequential search loop. */
final class Objectives {
    private Objectives() {}

    /** A shifted 4-D sphere, minimised at lr 3e-3, momentum 0.9, l2 ~ 1e-4 in log, hidden 100 (in log). */
    static final Space SPHERE_SPACE = Space.of(
            new Param.LogUniform("optimizer.lr", 1e-5, 1),
            new Param.Uniform("optimizer.momentum", 0, 0.99),
            new Param.LogUniform("l2", 1e-7, 1e-1),
            new Param.IntLogUniform("model.hidden", 8, 512));

    static double sphere(Assignment a) {
        double lr = Math.log10((Double) a.get("optimizer.lr")) - Math.log10(3e-3);
        double mom = ((Double) a.get("optimizer.momentum") - 0.9) / 0.3;
        double l2 = (Math.log10((Double) a.get("l2")) + 4) / 2;
        double hidden = (Math.log((Long) a.get("model.hidden")) - Math.log(100)) / Math.log(4);
        return lr * lr + mom * mom + l2 * l2 + hidden * hidden;
    }

    /** Branin on [-5, 10] x [0, 15], minimum 0.397887 at three points. */
    static final Space BRANIN_SPACE = Space.of(new Param.Uniform("x", -5, 10), new Param.Uniform("y", 0, 15));

    static double branin(Assignment a) {
        double x = (Double) a.get("x"), y = (Double) a.get("y");
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double u = y - b * x * x + c * x - 6;
        return u * u + 10 * (1 - t) * Math.cos(x) + 10;
    }

    /** Runs a sequential minimising search and returns its trials in order. */
    static List<Trial> search(Sampler sampler, ToDoubleFunction<Assignment> f, long seed, int budget) {
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < budget; i++) {
            Assignment a = sampler.suggest(history, List.of(), Sampler.rngFor(seed, i)).orElseThrow();
            history.add(Trial.complete(a, f.applyAsDouble(a)));
        }
        return history;
    }

    static double best(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::value).min().orElseThrow();
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
