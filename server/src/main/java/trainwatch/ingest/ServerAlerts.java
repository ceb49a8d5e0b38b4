package trainwatch.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.lab.AlertRules;
import trainwatch.store.RunWriter;

/**
 * The alerts a launched run's trainer raises, computed by the server on a remote run's scalars as they
 * arrive: the lab's alert rules (loss exploding, plateau, overfitting, update ratio out of band, with the
 * same thresholds, messages and once-per-episode arming) and the trainer's own "nonfinite" alert on the
 * first NaN or infinite value (a launched run ends there as diverged; a remote run's trainer decides for
 * itself, so the alert is raised once and the run goes on). Alerts are collected, not written: the ingest
 * service appends them after the batch's own records (IngestFile's crash accounting counts those first).
 * The rules start afresh when the server restarts (as they do when a launched run is resumed).
 */
final class ServerAlerts {
    /** Kinds computed here; a trainwatch trainer sending through the ingest API leaves these to the server. */
    static final List<String> KINDS = List.of("loss_exploding", "plateau", "overfitting", "update_ratio_low", "update_ratio_high", "nonfinite");

    record Raised(long step, long t, String kind, String tag, String message, String advice) {}

    private final AlertRules rules;
    private final String lr;
    private boolean nonfiniteRaised;
    private final List<Raised> pending = new ArrayList<>();
    private final Collector collector = new Collector();

    private ServerAlerts(AlertRules rules, String lr) {
        this.rules = rules;
        this.lr = lr;
    }

    /** The rules for a remote run with this (free-form) config: a trainwatch config's optimizer.type and lr are used when present. */
    static ServerAlerts forConfig(JsonNode config) {
        JsonNode opt = config == null ? null : config.path("optimizer");
        String type = opt != null && opt.path("type").isTextual() ? opt.get("type").asText() : null;
        JsonNode lr = opt != null && opt.path("lr").isNumber() ? opt.get("lr") : config != null && config.path("lr").isNumber() ? config.get("lr") : null;
        return new ServerAlerts(AlertRules.forOptimizer(type), lr == null ? null : lr.asText());
    }

    /** One stored scalars row (t: its wall time). */
    void onScalars(long step, long t, String[] tags, double[] values) {
        collector.t = t;
        rules.onScalars(step, tags, values, collector);
        if (nonfiniteRaised) return;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) continue;
            nonfiniteRaised = true;
            // the launched trainer's words (TrainingSession), so both kinds of run read the same
            pending.add(new Raised(step, t, "nonfinite", tags[i], tags[i] + " became " + values[i] + " at step " + step,
                    "lower the learning rate" + (lr == null ? "" : " (now " + lr + ")") + ", check the input scaling, or add l2"));
            return;
        }
    }

    /** The alerts raised since the last call, oldest first. */
    List<Raised> drain() {
        if (pending.isEmpty()) return List.of();
        List<Raised> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** What the alert rules write through: alerts are kept, anything else is a bug in a rule. */
    private final class Collector implements RunWriter {
        long t;

        @Override
        public long alert(long step, String kind, String tag, String message, String advice) {
            pending.add(new Raised(step, t, kind, tag, message, advice));
            return -1;
        }

        @Override
        public long scalars(long step, String[] tags, double[] values) {
            throw new UnsupportedOperationException("alert rules only raise alerts");
        }

        @Override
        public long filters(long step, int[] shape, float[] data) {
            throw new UnsupportedOperationException("alert rules only raise alerts");
        }

        @Override
        public long status(RunStatus status, String reason) {
            throw new UnsupportedOperationException("alert rules only raise alerts");
        }

        @Override
        public long check(String check, String outcome, String summary, String detailsJson) {
            throw new UnsupportedOperationException("alert rules only raise alerts");
        }

        @Override
        public Path checkpointDir() {
            throw new UnsupportedOperationException("alert rules only raise alerts");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
