package trainwatch.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunEvent;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

/**
 * What a reader keeps from the records it has followed: each tag's latest
 * value and step, the newest seq/step/time, and the rare records (alerts,
 * check results, status changes, resumes), which are few.
 */
final class RecordCache {
    private final ScalarsRecord rec = new ScalarsRecord();
    final List<Alert> alerts = new ArrayList<>();
    final List<CheckResult> checks = new ArrayList<>();
    final List<StatusChange> statuses = new ArrayList<>();
    final List<Resumed> resumes = new ArrayList<>();
    long lastSeq;
    long lastStep = -1;
    long lastWall;
    private long[] latestStep = new long[16];
    private double[] latestValue = new double[16];

    RecordCache() {
        Arrays.fill(latestStep, -1);
    }

    /** A valid scalars record: only the latest values are kept (series come from summaries and raw reads). */
    void scalars(long off, ByteBuffer b, int pos, int len, Problems problems) {
        ScalarsRecord r = rec.wrap(b, pos, len);
        if (!r.wellFormed()) {
            problems.add("scalars record at byte " + off + " has a wrong length");
            return;
        }
        long step = r.step();
        for (int i = 0, n = r.count(); i < n; i++) setLatest(r.tagId(i), step, r.value(i));
        lastSeq = Math.max(lastSeq, r.seq());
        lastStep = Math.max(lastStep, step);
        lastWall = r.wallMs();
    }

    /** A decoded record that is not scalars (or null when it did not decode). */
    void keep(Object o) {
        if (o instanceof RunEvent ev) lastSeq = Math.max(lastSeq, ev.seq());
        if (o instanceof Alert a) alerts.add(a);
        else if (o instanceof CheckResult c) checks.add(c);
        else if (o instanceof StatusChange s) statuses.add(s);
        else if (o instanceof Resumed r) {
            resumes.add(r);
            lastSeq = Math.max(lastSeq, r.seq());
        }
    }

    /** A tag's newest point as a sealed summary entry saw it (the scan starts after it). */
    void setLatest(int t, long step, double v) {
        if (t >= latestStep.length) {
            int old = latestStep.length;
            latestStep = Arrays.copyOf(latestStep, Math.max(t + 1, old * 2));
            latestValue = Arrays.copyOf(latestValue, latestStep.length);
            Arrays.fill(latestStep, old, latestStep.length, -1);
        }
        latestStep[t] = step;
        latestValue[t] = v;
        lastStep = Math.max(lastStep, step);
    }

    long latestStep(Integer t) {
        return t == null || t >= latestStep.length ? -1 : latestStep[t];
    }

    /** The newest value of every tag merged into one record. */
    Scalars latest(TagTable tags) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        long step = 0;
        for (int t = 0; t < latestStep.length; t++) {
            if (latestStep[t] < 0 || tags.name(t) == null) continue;
            names.add(tags.name(t));
            values.add(latestValue[t]);
            step = Math.max(step, latestStep[t]);
        }
        return new Scalars(lastSeq, step, lastWall, names.toArray(new String[0]), values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    void clear() {
        alerts.clear();
        checks.clear();
        statuses.clear();
        resumes.clear();
        Arrays.fill(latestStep, -1);
        lastSeq = 0;
        lastStep = -1;
        lastWall = 0;
    }
}
