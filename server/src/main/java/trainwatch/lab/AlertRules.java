package trainwatch.lab;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import trainwatch.train.Ema;
import trainwatch.train.LossExplosion;
import trainwatch.config.RunConfig;
import trainwatch.event.Tags;
import trainwatch.store.RunWriter;
import trainwatch.train.RunMonitor;

/**
 * The "while training" advice of CS231n's babysitting notes (docs/lab.md) as rules over the metric stream.
 * Each rule raises its alert once per episode: it fires when the condition
 * starts to hold and re-arms only after the condition has clearly gone away,
 * so a run stuck in one state gets one alert, not one per iteration.
 * Non-finite values are left to the trainer (it ends the run as diverged).
 */
public final class AlertRules implements RunMonitor {
    /**
     * fastBeta/slowBeta: EMA smoothing of the loss for the explosion rule and the plateau rule.
     * plateauMinSteps: the plateau rule waits for this many iterations.
     */
    public record Settings(double fastBeta, double slowBeta, double explodeFactor, double ratioLow, double ratioHigh,
                           int ratioRun, double overfitGap, int overfitEvals, double plateauImprovement, long plateauMinSteps) {
        public static Settings defaults() {
            return new Settings(0.9, 0.98, 3.0, 1e-4, 1e-2, 100, 0.15, 3, 0.01, 500);
        }
    }

    private final Settings s;
    private final LossExplosion explosion;
    private final Ema slowLoss;
    private final Ema trainAcc;
    private final SmoothedHistory history = new SmoothedHistory(4096);
    private final Map<String, RatioState> ratios = new HashMap<>();
    private boolean explodeArmed = true;
    private int overfitCount;
    private int fitCount;
    private boolean overfitArmed = true;
    private boolean plateauArmed = true;
    private long lastPlateauCheck = -1;

    public AlertRules() {
        this(Settings.defaults());
    }

    /**
     * The rules for a run. L-BFGS takes line-searched steps, not learning-rate
     * steps, so the update-ratio rule (which blames the learning rate) is off there.
     */
    public static AlertRules forConfig(RunConfig config) {
        return forOptimizer(config.optimizer().type());
    }

    /** The rules for a run trained with this optimizer type (null when unknown: every rule on). */
    public static AlertRules forOptimizer(String optimizerType) {
        Settings d = Settings.defaults();
        if (!"lbfgs".equals(optimizerType)) return new AlertRules(d);
        return new AlertRules(new Settings(d.fastBeta(), d.slowBeta(), d.explodeFactor(), d.ratioLow(), d.ratioHigh(),
                Integer.MAX_VALUE, d.overfitGap(), d.overfitEvals(), d.plateauImprovement(), d.plateauMinSteps()));
    }

    public AlertRules(Settings settings) {
        this.s = settings;
        explosion = new LossExplosion(settings.fastBeta(), settings.explodeFactor());
        slowLoss = new Ema(settings.slowBeta());
        trainAcc = new Ema(settings.fastBeta());
    }

    @Override
    public void onScalars(long step, String[] tags, double[] values, RunWriter writer) {
        for (int i = 0; i < tags.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) continue;
            String tag = tags[i];
            if (tag.equals(Tags.LOSS)) onLoss(step, v, writer);
            else if (tag.equals(Tags.TRAIN_ACC)) trainAcc.add(v);
            else if (tag.equals(Tags.VAL_ACC)) onValAcc(step, v, writer);
            else if (tag.startsWith("update_ratio/") && s.ratioRun() < Integer.MAX_VALUE) onRatio(step, tag, v, writer);
        }
    }

    private void onLoss(long step, double loss, RunWriter writer) {
        double smooth = explosion.add(loss);
        double limit = explosion.limit();
        double initialLoss = explosion.initial();
        if (explodeArmed && explosion.exploded()) {
            explodeArmed = false;
            writer.alert(step, "loss_exploding", Tags.LOSS,
                    f("smoothed loss %.4g is above %.3gx its initial value %.4g: the loss is exploding", smooth, s.explodeFactor(), initialLoss),
                    "lower the learning rate (try 3-10x lower); check the loss and the data if it persists");
        } else if (!explodeArmed && smooth < 0.67 * limit) {
            explodeArmed = true;
        }
        double slow = slowLoss.add(loss);
        history.add(step, slow);
        checkPlateau(step, slow, writer);
    }

    /**
     * Plateau: the smoothed loss improved by less than plateauImprovement over the last fifth of the run.
     * Not while an exploding episode lasts: a loss stuck high after exploding is a critical problem already
     * alerted, and "decay the learning rate or try a bigger model" would be the wrong advice for it.
     */
    private void checkPlateau(long step, double now, RunWriter writer) {
        if (!explodeArmed) return;
        if (step < s.plateauMinSteps() || step - lastPlateauCheck < Math.max(1, step / 200)) return;
        lastPlateauCheck = step;
        double then = history.valueAt(step - step / 5);
        if (Double.isNaN(then) || then <= 0) return;
        double improvement = (then - now) / then;
        if (plateauArmed && improvement < s.plateauImprovement()) {
            plateauArmed = false;
            writer.alert(step, "plateau", Tags.LOSS,
                    f("smoothed loss %s over the last %d iterations (%.4g -> %.4g): it has plateaued",
                            improvement >= 0 ? f("improved by only %.2f%%", 100 * improvement) : f("rose by %.2f%%", -100 * improvement),
                            step / 5, then, now),
                    "if the loss is still high, decay the learning rate (step or plateau schedule) or try a bigger model; "
                            + "if it is as low as you need, stop the run");
        } else if (!plateauArmed && improvement > 2 * s.plateauImprovement()) {
            plateauArmed = true;
        }
    }

    private void onValAcc(long step, double valAcc, RunWriter writer) {
        if (!trainAcc.started()) return;
        double train = trainAcc.value();
        double gap = train - valAcc;
        if (gap > s.overfitGap()) {
            overfitCount++;
            if (overfitArmed && overfitCount >= s.overfitEvals()) {
                overfitArmed = false;
                writer.alert(step, "overfitting", Tags.VAL_ACC,
                        f("val_acc %.3f is %.3f below train_acc %.3f for %d evaluations: the model is overfitting",
                                valAcc, gap, train, overfitCount),
                        "raise regularization (l2, dropout), use more training data, or keep the checkpoint with the best val_acc");
            }
        } else {
            overfitCount = 0;
            if (++fitCount >= s.overfitEvals()) overfitArmed = true;
            return;
        }
        fitCount = 0;
    }

    private void onRatio(long step, String tag, double ratio, RunWriter writer) {
        RatioState st = ratios.computeIfAbsent(tag, t -> new RatioState());
        int side = ratio < s.ratioLow() ? -1 : ratio > s.ratioHigh() ? 1 : 0;
        if (side == 0) {
            st.run = 0;
            // a short blip back into range breaks the run but does not start a new episode
            if (++st.inRange >= Math.max(1, s.ratioRun() / 10)) st.armedLow = st.armedHigh = true;
            return;
        }
        st.inRange = 0;
        if (side != st.side) {
            st.side = side;
            st.run = 0;
        }
        st.run++;
        boolean low = side < 0;
        if ((low ? st.armedLow : st.armedHigh) && st.run >= s.ratioRun()) {
            if (low) st.armedLow = false;
            else st.armedHigh = false;
            String layer = tag.substring("update_ratio/".length());
            writer.alert(step, low ? "update_ratio_low" : "update_ratio_high", tag,
                    f("%s has been %s %.0e for %d iterations (now %.2e): learning rate likely too %s for %s",
                            tag, low ? "below" : "above", low ? s.ratioLow() : s.ratioHigh(), st.run, ratio, low ? "low" : "high", layer),
                    low ? "raise the learning rate (try 3-10x higher); a healthy update/weight ratio is about 1e-3"
                        : "lower the learning rate (try 3-10x lower); a healthy update/weight ratio is about 1e-3");
        }
    }

    private static final class RatioState {
        int side;
        int run;
        int inRange;
        boolean armedLow = true;
        boolean armedHigh = true;
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
