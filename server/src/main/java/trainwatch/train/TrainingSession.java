package trainwatch.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.event.RunStatus;
import trainwatch.store.DiskSpace;
import trainwatch.store.RunWriter;

/**
 * One run's training loop: batches -> fit -> one scalars record per step
 * (step = 0-based iteration; step s's loss is measured before update s,
 * val_* at step s after it), filters before the fit of every
 * filtersEvery-th step (so step 0 shows the initial weights), a checkpoint
 * after each epoch and at the end, and a divergence stop on the first
 * non-finite value. Epoch checkpoints beyond the config's retention are
 * pruned. A session built from a {@link ResumePoint} continues where that
 * checkpoint left off: weights, updater state, iteration and epoch counts, the
 * data order (the shuffle RNG replayed to the same epoch and batch), the ND4J
 * RNG and the plateau counters, so it ends with the weights an uninterrupted
 * run would have. Free space under the runs directory is probed every few
 * seconds: below {@link DiskSpace#STOP_BELOW} the run stops cleanly with
 * {@link DiskFullException} before a write can fail halfway.
 */
final class TrainingSession {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
    private final RunConfig cfg;
    private final Dataset data;
    private final RunWriter out;
    private final ProgressObserver progress;
    private final BooleanSupplier stopRequested;
    private final List<RunMonitor> monitors;
    private final MultiLayerNetwork net;
    private final MetricsListener metrics;
    private final MiniBatches batches;
    private final Validation validation;
    private final PlateauPolicy plateau;
    private final StepTags tags;
    private final int[] filterShape;
    private final LbfgsFitter lbfgs;
    private final DiskSpace.Probe disk;
    private final Path runsRoot;
    private final int startEpoch;
    private final int startBatch;
    private final DivergenceStop divergenceStop;
    private final PolyakAverage average;      // null without config key averaging
    private final MultiLayerNetwork averageNet; // evaluates and saves the average
    private long step;
    private double lastValAcc = Double.NaN;
    private long lastValStep = -1;
    private long lastDiskCheckNanos = System.nanoTime();
    /** How often free space is probed (a statvfs call: cheap, but not per step); also every 256 steps. */
    long diskCheckEveryNanos = 2_000_000_000L;
    /** Epoch checkpoints at most this often (but always the last checkpoints.keep epochs): a full-batch spiral run has an epoch per iteration. */
    long minCheckpointGapNanos = 10_000_000_000L;
    private long lastCheckpointNanos = Long.MIN_VALUE / 2;

    TrainingSession(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress,
                    BooleanSupplier stopRequested, List<RunMonitor> monitors) throws IOException {
        this(cfg, data, out, progress, stopRequested, monitors, null, DiskSpace.SYSTEM);
    }

    TrainingSession(RunConfig cfg, Dataset data, RunWriter out, ProgressObserver progress,
                    BooleanSupplier stopRequested, List<RunMonitor> monitors, ResumePoint from, DiskSpace.Probe disk) throws IOException {
        this.cfg = cfg;
        this.data = data;
        this.out = out;
        this.progress = progress;
        this.stopRequested = stopRequested;
        this.monitors = new ArrayList<>(monitors);
        this.disk = disk;
        this.runsRoot = runsRoot(out);
        Nd4j.getRandom().setSeed(cfg.seed());
        this.net = from == null ? Models.build(cfg, data) : ModelSerializer.restoreMultiLayerNetwork(from.checkpoint().toFile(), true);
        this.metrics = new MetricsListener(net, cfg.l2() > 0);
        net.setListeners(metrics);
        this.batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
        this.validation = new Validation(data.valX(), data.valY(), data.features(), data.numClasses());
        this.plateau = Schedules.isPlateau(cfg.schedule())
                ? new PlateauPolicy(cfg.optimizer().lr(), cfg.schedule().factor(), cfg.schedule().patience(), cfg.schedule().minLr())
                : null;
        this.tags = new StepTags(metrics.layerName, cfg.l2() > 0, cfg.averaging());
        this.filterShape = FirstLayerWeights.shape(net, data.exampleShape());
        this.lbfgs = Optimizers.isLbfgs(cfg.optimizer()) ? new LbfgsFitter(net) : null;
        this.divergenceStop = new DivergenceStop(cfg.stopOnDivergence());
        if (lbfgs != null && batches.perEpoch() != 1)
            throw new Optimizers.UnsupportedOptimizerException("optimizer lbfgs needs the full batch: batchSize must be >= the "
                    + data.trainCount() + " training examples (got " + cfg.batchSize() + ")");
        this.average = cfg.averaging() ? new PolyakAverage(cfg.averagingDecay()) : null;
        this.averageNet = average == null ? null : net.clone();
        if (averageNet != null) averageNet.setListeners(new ArrayList<>());
        if (from == null) {
            startEpoch = 0;
            startBatch = 0;
        } else {
            CheckpointMeta m = from.meta();
            step = m.step();
            startEpoch = m.epoch();
            startBatch = m.batch();
            for (int e = 0; e < startEpoch; e++) batches.shuffle(); // the data order up to the checkpoint's epoch
            Nd4j.getRandom().setStates(m.rngRoot(), m.rngNode());
            if (plateau != null) plateau.restore(m.plateauLr(), m.plateauBest(), m.plateauSince());
            if (average != null) restoreAverage(from.checkpoint().getParent(), m.step());
        }
    }

    /** runs/&lt;id&gt;/checkpoints -> runs/ (where free space is measured). */
    private static Path runsRoot(RunWriter out) {
        Path dir = out.checkpointDir().toAbsolutePath();
        return dir.getParent() != null && dir.getParent().getParent() != null ? dir.getParent().getParent() : dir;
    }

    long iterations() {
        return step;
    }

    long totalSteps() {
        long total = (long) cfg.epochs() * batches.perEpoch();
        return cfg.maxIterations() > 0 ? Math.min(total, cfg.maxIterations()) : total;
    }

    TrainOutcome run() throws IOException {
        long total = totalSteps();
        int evalEvery = Math.max(1, cfg.evalEvery());
        int filtersEvery = Math.max(1, cfg.filtersEvery());
        for (int epoch = startEpoch; epoch < cfg.epochs() && step < total; epoch++) {
            batches.shuffle();
            int perEpoch = batches.perEpoch();
            int b = epoch == startEpoch ? startBatch : 0;
            for (; b < perEpoch && step < total; b++) {
                if (stopRequested.getAsBoolean()) return stopped(epoch, b);
                checkDisk();
                if (filterShape != null && step % filtersEvery == 0) out.filters(step, filterShape, FirstLayerWeights.data(net));
                MiniBatches.Batch batch = batches.batch(b);
                metrics.setBatchLabels(batch.labels());
                SanityChecks.Step0 step0 = step == 0 ? SanityChecks.Step0.measure(net, batch.data(), cfg.l2()) : null;
                long t0 = System.nanoTime();
                if (lbfgs != null) lbfgs.fit(batch.data());
                else net.fit(batch.data());
                double examplesPerSec = batch.labels().length / ((System.nanoTime() - t0) / 1e9);
                if (average != null) average.update(net.params());
                boolean eval = !validation.isEmpty() && ((step + 1) % evalEvery == 0 || step == total - 1);
                double[] val = eval ? validation.evaluate(net) : null;
                if (val != null) {
                    lastValAcc = val[1];
                    lastValStep = step;
                }
                double[] avgVal = val != null && average != null ? evaluateAverage() : null;
                String[] t = tags.tags(eval);
                double[] v = tags.values(metrics, examplesPerSec, val, avgVal);
                out.scalars(step, t, v);
                notifyMonitors(t, v);
                if (step0 != null) sanityChecks(step0);
                progress.onIteration(step, total, epoch, metrics.score, metrics.trainAcc, examplesPerSec);
                int bad = StepTags.firstNonFinite(t, v);
                if (bad >= 0) return diverged(t[bad], v[bad]);
                String exploded = divergenceStop.onStep(metrics.score, eval);
                if (exploded != null) return exploded(exploded);
                if (val != null && plateau != null) applyPlateau(val[0]);
                out.flush();
                step++;
            }
            if (b == perEpoch) {
                net.incrementEpochCount();
                // the last checkpoints.keep epochs are always saved: they are what survives pruning, and what
                // an ensemble of the run's last K checkpoints (K <= keep) is made of
                boolean kept = epoch + 1 > cfg.epochs() - cfg.keepCheckpoints();
                if (kept || System.nanoTime() - lastCheckpointNanos >= minCheckpointGapNanos) {
                    Checkpoints.save(net, out.checkpointDir(), Checkpoints.epochName(epoch + 1), meta(epoch + 1, 0, valAccNow()));
                    saveAverage();
                    List<String> pruned = Checkpoints.prune(out.checkpointDir(), cfg.keepCheckpoints());
                    if (!pruned.isEmpty()) LOG.debug("pruned checkpoints {}", pruned);
                    lastCheckpointNanos = System.nanoTime();
                }
            }
        }
        Checkpoints.save(net, out.checkpointDir(), Checkpoints.FINAL, meta(cfg.epochs(), 0, valAccNow()));
        saveAverage();
        return new TrainOutcome(RunStatus.FINISHED, "", step);
    }

    /** {val_loss_avg, val_acc_avg}: the averaged parameters on the validation split. */
    private double[] evaluateAverage() {
        averageNet.setParams(average.value());
        return validation.evaluate(averageNet);
    }

    /** checkpoints/average.zip (the averaged weights) beside every epoch and final checkpoint, with its update count. */
    private void saveAverage() throws IOException {
        if (average == null || average.count() == 0) return;
        averageNet.setParams(average.value());
        Checkpoints.saveAverage(averageNet, out.checkpointDir(), new Checkpoints.AverageMeta(step, average.count(), average.decay()));
    }

    /** The average saved with the checkpoint resumed from carries on; one from another step cannot, and restarts. */
    private void restoreAverage(Path dir, long resumeStep) {
        try {
            var saved = Checkpoints.readAverage(dir);
            if (saved.isPresent() && saved.get().meta().step() == resumeStep && saved.get().meta().decay() == average.decay()) {
                average.restore(saved.get().params(), saved.get().meta().count());
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("parameter average not restored: {}", e.toString());
        }
        LOG.info("parameter average restarts at step {}: no average saved at that step", resumeStep);
    }

    /** Where training stands, for a checkpoint: {@code step} is the next step to run. */
    private CheckpointMeta meta(int epoch, int batch, double valAcc) {
        var rng = Nd4j.getRandom();
        double[] p = plateau == null ? new double[] {Double.NaN, Double.NaN, 0} : plateau.state();
        return new CheckpointMeta(step, epoch, batch, valAcc, rng.rootState(), rng.nodeState(), p[0], p[1], (int) p[2]);
    }

    /** val_acc of the current weights: the evaluation of the step just taken, or a fresh one (NaN without a validation split). */
    private double valAccNow() {
        if (validation.isEmpty()) return Double.NaN;
        if (lastValStep == step - 1) return lastValAcc;
        return validation.evaluate(net)[1];
    }

    /** Stops before a write can fail for want of space (the probe is injectable so tests can fill the disk). */
    private void checkDisk() {
        long now = System.nanoTime();
        if (now - lastDiskCheckNanos < diskCheckEveryNanos && step % 256 != 0) return;
        lastDiskCheckNanos = now;
        long free = disk.freeBytes(runsRoot);
        if (free >= 0 && free < DiskSpace.STOP_BELOW) throw new DiskFullException(free, runsRoot);
    }

    /** A failing monitor is logged and dropped: an alert rule's bug must not end a long run. */
    private void notifyMonitors(String[] t, double[] v) {
        for (int i = 0; i < monitors.size(); i++) {
            try {
                monitors.get(i).onScalars(step, t, v, out);
            } catch (RuntimeException e) {
                LOG.error("monitor {} failed at step {} and is switched off", monitors.get(i).getClass().getName(), step, e);
                monitors.remove(i--);
            }
        }
    }

    /** Dropout makes the training score stochastic: then DL4J's score of the same batch in inference mode stands in for it. */
    private void sanityChecks(SanityChecks.Step0 step0) {
        double reported = cfg.dropout() > 0 ? step0.dl4jInferenceScore() : metrics.score;
        SanityChecks.initialLoss(out, data.numClasses(), reported, step0);
        if (cfg.l2() > 0) SanityChecks.regRaisesLoss(out, cfg.l2(), reported, step0);
    }

    private void applyPlateau(double valLoss) {
        double before = plateau.lr();
        double after = plateau.onEvaluation(valLoss);
        if (after != before) net.setLearningRate(after);
    }

    private TrainOutcome stopped(int epoch, int batch) throws IOException {
        Checkpoints.save(net, out.checkpointDir(), Checkpoints.FINAL, meta(epoch, batch, Double.NaN));
        saveAverage();
        return new TrainOutcome(RunStatus.STOPPED, "stop requested after " + step + " steps", step);
    }

    private TrainOutcome exploded(String reason) {
        out.alert(step, "diverged", "loss", reason,
                "lower the learning rate (now " + cfg.optimizer().lr() + ") 3-10x and start again");
        out.flush();
        return new TrainOutcome(RunStatus.DIVERGED, reason, step + 1);
    }

    private TrainOutcome diverged(String tag, double value) {
        String reason = tag + " became " + value + " at step " + step;
        out.alert(step, "nonfinite", tag, reason,
                "lower the learning rate (now " + cfg.optimizer().lr() + "), check the input scaling, or add l2");
        out.flush();
        return new TrainOutcome(RunStatus.DIVERGED, reason, step + 1);
    }
}
