package trainwatch.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Limited-memory BFGS on a network's flat parameters (Nocedal and Wright,
 * Numerical Optimization, algorithms 7.4, 3.5 and 3.6): the two-loop recursion
 * over the last m (s, y) pairs gives the direction, and a line search finds a
 * step satisfying the strong Wolfe conditions (sufficient decrease c1 and
 * curvature c2). Vector arithmetic is done in double whatever the network's
 * precision. Meant for small full-batch problems: one {@link #step()} costs one
 * or a few gradient evaluations of the whole batch.
 */
public final class Lbfgs {
    public record Options(int history, double c1, double c2, int maxLineSearchEvals) {
        public static Options defaults() {
            return new Options(10, 1e-4, 0.9, 20);
        }
    }

    /** One iteration: loss before and after, the accepted step length, and gradient evaluations used. */
    public record Step(double lossBefore, double lossAfter, double stepSize, int evaluations, boolean moved) {}

    private record Pair(double[] s, double[] y, double rho) {}

    private final Objective objective;
    private final Options options;
    private final Deque<Pair> history = new ArrayDeque<>();
    private double[] x;
    private double[] g;
    private double f = Double.NaN;
    private int iteration;

    public Lbfgs(Objective objective, Options options) {
        this.objective = objective;
        this.options = options;
    }

    /** Loss at the current point (evaluates it on the first call). */
    public double loss() {
        ensureStarted();
        return f;
    }

    /** One L-BFGS iteration; the network holds the new parameters afterwards. */
    public Step step() {
        ensureStarted();
        long evalsBefore = objective.evaluations();
        double before = f;
        double[] d = direction();
        double slope = dot(g, d);
        if (!(slope < 0)) { // not a descent direction (bad curvature pairs): start over from steepest descent
            history.clear();
            d = negate(g);
            slope = dot(g, d);
        }
        double alpha0 = history.isEmpty() ? Math.min(1.0, 1.0 / Math.max(norm(g), 1e-12)) : 1.0;
        Point p = lineSearch(d, slope, alpha0);
        if (p == null || !(p.f < f)) {
            writeParams(x); // stay where we were
            history.clear();
            iteration++;
            return new Step(before, f, 0.0, (int) (objective.evaluations() - evalsBefore), false);
        }
        double[] s = new double[x.length], y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = p.alpha * d[i];
            y[i] = p.g[i] - g[i];
        }
        double sy = dot(s, y);
        if (sy > 1e-10 * norm(s) * norm(y)) { // keep only pairs with positive curvature: H stays positive definite
            history.addLast(new Pair(s, y, 1.0 / sy));
            if (history.size() > options.history()) history.removeFirst();
        }
        x = p.x;
        g = p.g;
        f = p.f;
        writeParams(x);
        iteration++;
        return new Step(before, f, p.alpha, (int) (objective.evaluations() - evalsBefore), true);
    }

    public int iteration() {
        return iteration;
    }

    private void ensureStarted() {
        if (x != null) return;
        x = objective.params().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup().data().asDouble();
        f = objective.evaluate();
        g = gradientCopy();
    }

    /** Two-loop recursion: d = -H g with H0 = (s'y / y'y) I from the newest pair. */
    private double[] direction() {
        double[] q = g.clone();
        int m = history.size();
        double[] a = new double[m];
        int k = m - 1;
        for (Iterator<Pair> it = history.descendingIterator(); it.hasNext(); k--) {
            Pair p = it.next();
            a[k] = p.rho * dot(p.s, q);
            axpy(-a[k], p.y, q);
        }
        if (m > 0) {
            Pair last = history.peekLast();
            double gamma = dot(last.s, last.y) / dot(last.y, last.y);
            scale(gamma, q);
        }
        k = 0;
        for (Pair p : history) {
            double b = p.rho * dot(p.y, q);
            axpy(a[k++] - b, p.s, q);
        }
        return negate(q);
    }

    private record Point(double alpha, double[] x, double f, double[] g, double slope) {}

    private Point evalAt(double[] d, double alpha) {
        double[] xn = new double[x.length];
        for (int i = 0; i < x.length; i++) xn[i] = x[i] + alpha * d[i];
        writeParams(xn);
        double fn = objective.evaluate();
        double[] gn = gradientCopy();
        double sl = dot(gn, d);
        if (!Double.isFinite(fn) || !Double.isFinite(sl)) fn = Double.POSITIVE_INFINITY; // overflow: treat as too far
        return new Point(alpha, xn, fn, gn, sl);
    }

    /** Strong Wolfe line search (N&W algorithm 3.5); returns the best sufficient-decrease point found, or null. */
    private Point lineSearch(double[] d, double slope0, double alpha0) {
        double c1 = options.c1(), c2 = options.c2();
        Point prev = new Point(0, x, f, g, slope0);
        Point best = null;
        double alpha = alpha0;
        int evals = 0;
        while (evals < options.maxLineSearchEvals()) {
            Point cur = evalAt(d, alpha);
            evals++;
            boolean armijo = cur.f <= f + c1 * alpha * slope0;
            if (armijo && (best == null || cur.f < best.f)) best = cur;
            if (!armijo || (evals > 1 && cur.f >= prev.f))
                return zoom(d, slope0, prev, cur, evals, best);
            if (Math.abs(cur.slope) <= -c2 * slope0) return cur;
            if (cur.slope >= 0) return zoom(d, slope0, cur, prev, evals, best);
            prev = cur;
            alpha *= 2;
        }
        return best;
    }

    /** N&W algorithm 3.6: shrink [lo, hi] by cubic interpolation until a strong Wolfe point is found. */
    private Point zoom(double[] d, double slope0, Point lo, Point hi, int evals, Point best) {
        double c1 = options.c1(), c2 = options.c2();
        while (evals < options.maxLineSearchEvals()) {
            double alpha = interpolate(lo, hi);
            Point cur = evalAt(d, alpha);
            evals++;
            boolean armijo = cur.f <= f + c1 * alpha * slope0;
            if (armijo && (best == null || cur.f < best.f)) best = cur;
            if (!armijo || cur.f >= lo.f) {
                hi = cur;
            } else {
                if (Math.abs(cur.slope) <= -c2 * slope0) return cur;
                if (cur.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
                lo = cur;
            }
            if (Math.abs(hi.alpha - lo.alpha) < 1e-12 * Math.max(1, lo.alpha)) break;
        }
        return best;
    }

    /** Minimizer of the cubic through both ends' values and slopes, kept well inside the interval (else bisection). */
    private static double interpolate(Point a, Point b) {
        double lo = Math.min(a.alpha, b.alpha), hi = Math.max(a.alpha, b.alpha);
        double t = Double.NaN;
        if (Double.isFinite(a.f) && Double.isFinite(b.f)) {
            double d1 = a.slope + b.slope - 3 * (a.f - b.f) / (a.alpha - b.alpha);
            double disc = d1 * d1 - a.slope * b.slope;
            if (disc >= 0) {
                double d2 = Math.signum(b.alpha - a.alpha) * Math.sqrt(disc);
                t = b.alpha - (b.alpha - a.alpha) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2);
            }
        }
        double margin = 0.1 * (hi - lo);
        if (!Double.isFinite(t) || t < lo + margin || t > hi - margin) t = (lo + hi) / 2;
        return t;
    }

    private double[] gradientCopy() {
        return objective.gradient().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup().data().asDouble();
    }

    private void writeParams(double[] v) {
        INDArray p = objective.params();
        p.assign(Nd4j.createFromArray(v).castTo(p.dataType()).reshape(p.shape()));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static void scale(double a, double[] x) {
        for (int i = 0; i < x.length; i++) x[i] *= a;
    }

    private static double[] negate(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = -a[i];
        return r;
    }
}
