package trainwatch.train;

import java.util.ArrayList;
import java.util.List;

import trainwatch.event.Tags;

/**
 * The tag layout of a step record: loss, [reg_loss], train_acc, lr/<layer>...,
 * update_ratio/<layer>..., examples_per_sec, and on evaluation steps
 * val_loss, val_acc (and val_loss_avg, val_acc_avg with parameter averaging). Built once; each step gets fresh arrays (writers and
 * monitors may keep them).
 */
final class StepTags {
    private final String[] base;
    private final String[] withVal;
    private final boolean withReg;
    private final int layers;

    StepTags(String[] layerNames, boolean withReg) {
        this(layerNames, withReg, false);
    }

    StepTags(String[] layerNames, boolean withReg, boolean withAvg) {
        this.withReg = withReg;
        this.layers = layerNames.length;
        List<String> t = new ArrayList<>();
        t.add(Tags.LOSS);
        if (withReg) t.add(Tags.REG_LOSS);
        t.add(Tags.TRAIN_ACC);
        for (String l : layerNames) t.add(Tags.lr(l));
        for (String l : layerNames) t.add(Tags.updateRatio(l));
        t.add(Tags.EXAMPLES_PER_SEC);
        base = t.toArray(String[]::new);
        t.add(Tags.VAL_LOSS);
        t.add(Tags.VAL_ACC);
        if (withAvg) {
            t.add(Tags.VAL_LOSS_AVG);
            t.add(Tags.VAL_ACC_AVG);
        }
        withVal = t.toArray(String[]::new);
    }

    String[] tags(boolean eval) {
        return (eval ? withVal : base).clone();
    }

    double[] values(MetricsListener m, double examplesPerSec, double[] val) {
        return values(m, examplesPerSec, val, null);
    }

    /** {@code avg}: {val_loss_avg, val_acc_avg} on evaluation steps when averaging is on. */
    double[] values(MetricsListener m, double examplesPerSec, double[] val, double[] avg) {
        double[] v = new double[val == null ? base.length : withVal.length];
        int i = 0;
        v[i++] = m.score;
        if (withReg) v[i++] = m.regScore;
        v[i++] = m.trainAcc;
        for (int j = 0; j < layers; j++) v[i++] = m.lr[j];
        for (int j = 0; j < layers; j++) v[i++] = m.updateRatio(j);
        v[i++] = examplesPerSec;
        if (val != null) {
            v[i++] = val[0];
            v[i++] = val[1];
            if (avg != null && i + 1 < v.length) {
                v[i++] = avg[0];
                v[i] = avg[1];
            }
        }
        return v;
    }

    /** Index of the first loss / reg_loss / update_ratio / val_loss that is NaN or infinite, else -1. */
    static int firstNonFinite(String[] tags, double[] values) {
        for (int i = 0; i < tags.length; i++) {
            String t = tags[i];
            boolean watched = t.equals(Tags.LOSS) || t.equals(Tags.REG_LOSS) || t.equals(Tags.VAL_LOSS) || t.startsWith("update_ratio/");
            if (watched && !Double.isFinite(values[i])) return i;
        }
        return -1;
    }
}
