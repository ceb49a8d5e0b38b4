package trainwatch.search;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * One searched hyperparameter, addressed by the dotted path of its run-config key.
 * Every kind checks itself when built, and its errors name the path.
 *
 * <p>Numeric kinds also live on an internal "search scale" that TPE, refine and the edge
 * warning work in: the value itself for {@code uniform}, its natural log for
 * {@code log_uniform}; integers are widened by half a step on each side
 * ({@code [min - 0.5, max + 0.5]}, in log for {@code int_log_uniform}) so every integer
 * owns an equal slice of the scale (an equal slice of log space for the log kind), as Optuna does.
 * Sampled values are {@link Double} for the continuous kinds, {@link Long} for the integer kinds.
 */
public sealed interface Param permits Param.Numeric, Param.Choice {
    String path();

    /** The spec's name for this kind: uniform, log_uniform, int_uniform, int_log_uniform, values, grid. */
    String distribution();

    Object sample(RandomGenerator rng);

    /** A parameter with an order and a range. */
    sealed interface Numeric extends Param permits Uniform, LogUniform, IntUniform, IntLogUniform {
        /** Lower end of the search scale. */
        double lo();

        /** Upper end of the search scale. */
        double hi();

        /** The lower bound as given in the spec (a value, not a log). */
        double lower();

        /** The upper bound as given in the spec. */
        double upper();

        /** Whether the search scale is logarithmic. */
        boolean log();

        /** A value of this parameter on the search scale, or NaN when it is not one of its values. */
        double toScale(Object value);

        /** The value at a point of the search scale (rounded and clipped to the range). */
        Object fromScale(double x);

        @Override
        default Object sample(RandomGenerator rng) {
            return fromScale(lo() + (hi() - lo()) * rng.nextDouble());
        }
    }

    /** A parameter with a finite list of choices and no order. */
    sealed interface Choice extends Param permits Values, Grid {
        List<Object> choices();

        @Override
        default Object sample(RandomGenerator rng) {
            return choices().get(rng.nextInt(choices().size()));
        }
    }

    record Uniform(String path, double min, double max) implements Numeric {
        public Uniform {
            checkPath(path);
            finite(path, "uniform", min, max);
            if (!(min < max)) throw new InvalidSpaceException(path, "uniform min must be < max, got min " + min + ", max " + max);
        }
        public String distribution() { return "uniform"; }
        public double lo() { return min; }
        public double hi() { return max; }
        public double lower() { return min; }
        public double upper() { return max; }
        public boolean log() { return false; }
        public double toScale(Object v) { return v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max ? n.doubleValue() : Double.NaN; }
        public Object fromScale(double x) { return Math.min(max, Math.max(min, x)); }
    }

    /** Bounds are values (1e-4, 1), not exponents; sampled uniformly in log space. */
    record LogUniform(String path, double min, double max) implements Numeric {
        public LogUniform {
            checkPath(path);
            finite(path, "log_uniform", min, max);
            if (!(min > 0)) throw new InvalidSpaceException(path, "log_uniform min must be > 0, got " + min + " (bounds are values such as 1e-4, not exponents)");
            if (!(min < max)) throw new InvalidSpaceException(path, "log_uniform min must be < max, got min " + min + ", max " + max);
        }
        public String distribution() { return "log_uniform"; }
        public double lo() { return Math.log(min); }
        public double hi() { return Math.log(max); }
        public double lower() { return min; }
        public double upper() { return max; }
        public boolean log() { return true; }
        public double toScale(Object v) { return v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max ? Math.log(n.doubleValue()) : Double.NaN; }
        public Object fromScale(double x) { return Math.min(max, Math.max(min, Math.exp(x))); }
    }

    record IntUniform(String path, long min, long max) implements Numeric {
        public IntUniform {
            checkPath(path);
            if (min >= max) throw new InvalidSpaceException(path, "int_uniform min must be < max, got min " + min + ", max " + max + " (use values for a constant)");
        }
        public String distribution() { return "int_uniform"; }
        public double lo() { return min - 0.5; }
        public double hi() { return max + 0.5; }
        public double lower() { return min; }
        public double upper() { return max; }
        public boolean log() { return false; }
        public double toScale(Object v) { long k = integral(v, min, max); return k == Long.MIN_VALUE ? Double.NaN : k; }
        public Object fromScale(double x) { return Math.min(max, Math.max(min, Math.round(x))); }
    }

    /** Integers whose logs are spread evenly: 16..256 gives 16-31 as often as 128-255. */
    record IntLogUniform(String path, long min, long max) implements Numeric {
        public IntLogUniform {
            checkPath(path);
            if (min < 1) throw new InvalidSpaceException(path, "int_log_uniform min must be >= 1, got " + min);
            if (min >= max) throw new InvalidSpaceException(path, "int_log_uniform min must be < max, got min " + min + ", max " + max);
        }
        public String distribution() { return "int_log_uniform"; }
        public double lo() { return Math.log(min - 0.5); }
        public double hi() { return Math.log(max + 0.5); }
        public double lower() { return min; }
        public double upper() { return max; }
        public boolean log() { return true; }
        public double toScale(Object v) { long k = integral(v, min, max); return k == Long.MIN_VALUE ? Double.NaN : Math.log(k); }
        public Object fromScale(double x) { return Math.min(max, Math.max(min, Math.round(Math.exp(x)))); }
    }

    /** Categorical choices for random and TPE (and grid, which walks them in order). */
    record Values(String path, List<Object> choices) implements Choice {
        public Values {
            checkPath(path);
            choices = JsonValues.choices(path, "values", choices);
        }
        public String distribution() { return "values"; }
    }

    /** The points a grid search walks, in order; random and TPE treat them as categorical. */
    record Grid(String path, List<Object> choices) implements Choice {
        public Grid {
            checkPath(path);
            choices = JsonValues.choices(path, "grid", choices);
        }
        public String distribution() { return "grid"; }
    }

    Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static void checkPath(String path) {
        if (path == null || !PATH.matcher(path).matches())
            throw new InvalidSpaceException(String.valueOf(path), "a parameter path is dotted config keys such as optimizer.lr");
    }

    private static void finite(String path, String kind, double min, double max) {
        if (!Double.isFinite(min)) throw new InvalidSpaceException(path, kind + " min must be a finite number, got " + min);
        if (!Double.isFinite(max)) throw new InvalidSpaceException(path, kind + " max must be a finite number, got " + max);
    }

    /** The long value of an integral number inside [min, max], else Long.MIN_VALUE. */
    private static long integral(Object v, long min, long max) {
        if (!(v instanceof Number n)) return Long.MIN_VALUE;
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < min || d > max) return Long.MIN_VALUE;
        return (long) d;
    }
}
