package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.DatasetCatalog;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.DatasetException;
import trainwatch.data.Datasets;
import trainwatch.event.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.lab.AlertRules;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.StatusRecord;
import trainwatch.train.ProgressObserver;
import trainwatch.train.ResumePoint;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/**
 * `train CONFIG.json [--runs DIR]`: validates the config (exit 2, one line on
 * stderr, nothing written), loads the data, creates runs/&lt;id&gt;/ and trains.
 * `train --run ID [--runs DIR]`: takes over a queued run the server created
 * (resuming it when it has a checkpoint: the server queues a run it resumes).
 * `train --resume ID [--runs DIR]`: continues an interrupted or stopped run
 * from its newest checkpoint; the records after that checkpoint are superseded.
 * Exit codes: 0 finished, 1 failed or diverged, 2 bad config, 130 stopped by
 * SIGINT/SIGTERM (status `stopped`, the run readable).
 */
public final class TrainCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
    static final int OK = 0, FAILED = 1, BAD_CONFIG = 2;
    /** How long a signal waits for the trainer to notice the stop flag and close the store. */
    static final Duration STOP_WAIT = Duration.ofSeconds(120);
    static final long MAX_CONFIG_BYTES = 1 << 20;
    /** The reason the server writes with status queued when it queues a run to resume (run.Supervisor). */
    static final String RESUME_REASON = "resume requested";

    private final Training training;
    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final boolean terminal;
    private final StopSignal stop;

    TrainCommand(Training training, PrintStream out, PrintStream err, Path dataDir, boolean terminal, StopSignal stop) {
        this.training = training;
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
        this.terminal = terminal;
        this.stop = stop;
    }

    /** Returns the process exit code. */
    public static int run(String[] args) {
        StopSignal stop = new StopSignal();
        stop.install(STOP_WAIT);
        try {
            return new TrainCommand(REAL, System.out, System.err, DatasetCatalog.dataDir(),
                    System.console() != null, stop).execute(args);
        } finally {
            stop.finished();
            stop.uninstall();
        }
    }

    /** The real trainer, with the lab's alert rules watching the metric stream (alerts are stored with the run). */
    static TrainOutcome withAlerts(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stop) {
        return Trainer.train(config, data, writer, progress, stop, List.of(AlertRules.forConfig(config)));
    }

    static final Training REAL = new Training() {
        @Override
        public TrainOutcome train(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stop) {
            return withAlerts(config, data, writer, progress, stop);
        }

        @Override
        public TrainOutcome resume(RunConfig config, Dataset data, RunWriter writer, ProgressObserver progress, BooleanSupplier stop,
                                   ResumePoint from) {
            return Trainer.resume(config, data, writer, progress, stop, List.of(AlertRules.forConfig(config)), from);
        }
    };

    int execute(String[] args) {
        TrainArgs a;
        try {
            a = TrainArgs.parse(args);
        } catch (TrainArgs.UsageException e) {
            return fail(BAD_CONFIG, e.getMessage() + "\n" + TrainArgs.USAGE);
        }
        if (a.remote() != null) return new RemoteTrain(training, out, err, dataDir, stop::requested, System.getenv()).run(a);
        RunStore store = new RunStore(a.runsDir(), Clock.systemUTC());
        return a.configFile() != null ? fresh(store, a.configFile()) : takeOver(store, a.runId(), a.resume());
    }

    /** A new run from a config file: nothing is written until config and data are known to be good. */
    private int fresh(RunStore store, Path file) {
        String json;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_CONFIG_BYTES)
                return fail(BAD_CONFIG, file + " is larger than " + MAX_CONFIG_BYTES / 1024 + " KB: not a run config");
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            return fail(BAD_CONFIG, "cannot read " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            return fail(BAD_CONFIG, "cannot read " + file + ": " + oneLine(e));
        }
        RunConfig config;
        Dataset data;
        try {
            config = ConfigParser.parse(json, dataDir);
            data = Datasets.load(config, dataDir);
        } catch (ConfigException e) {
            return fail(BAD_CONFIG, e.getMessage());
        } catch (DatasetException e) {
            return fail(BAD_CONFIG, e.getMessage());
        }
        if (stop.requested()) return StopSignal.EXIT_STOPPED;
        String id;
        RunWriter writer;
        try {
            id = store.newId();
            store.create(id, ConfigParser.toJson(config), RunStatus.QUEUED, "");
            writer = store.openWriter(id);
        } catch (RuntimeException e) {
            return fail(FAILED, "cannot create a run under " + store.root() + ": " + oneLine(e));
        }
        return train(store, id, writer, config, data, null);
    }

    /**
     * A run the server created (config.json + status queued): this process becomes its trainer. With {@code resume}
     * (or a queued run that has a checkpoint: the server queued it to resume) training continues from the newest
     * checkpoint and the records after it are superseded; without any checkpoint a resumed run starts over.
     */
    private int takeOver(RunStore store, String id, boolean resume) {
        if (!RunStore.validId(id)) return fail(BAD_CONFIG, "invalid run id " + id);
        if (!store.exists(id)) return fail(BAD_CONFIG, "no run " + id + " under " + store.root());
        StatusRecord was = store.state(id);
        RunStatus before = was.status();
        if (resume && store.trainerAlive(id)) return fail(BAD_CONFIG, "run " + id + " has a live trainer: nothing to resume");
        // 'running' without a live trainer is an interrupted run no server has marked yet (trained headless, killed)
        boolean resumable = before == RunStatus.INTERRUPTED || before == RunStatus.STOPPED || before == RunStatus.QUEUED || before == RunStatus.RUNNING;
        if (resume && !resumable)
            return fail(BAD_CONFIG, "run " + id + " is " + before.wire() + ": only an interrupted or stopped run can be resumed");
        if (!resume && before != RunStatus.QUEUED) return fail(BAD_CONFIG, "run " + id + " is " + before.wire() + ", not queued: nothing to take over");
        ResumePoint from;
        try {
            from = ResumePoint.newest(store.dir(id).resolve("checkpoints")).orElse(null);
        } catch (IOException | RuntimeException e) {
            return fail(FAILED, "cannot read the checkpoints of run " + id + ": " + oneLine(e));
        }
        RunWriter writer;
        try {
            // a fresh queued run opens plainly; a resume (asked for here or queued by the server) supersedes the later steps
            boolean resuming = resume || from != null || RESUME_REASON.equals(was.reason());
            writer = resuming ? ResumeStore.open(store, id, from == null ? 0 : from.step()) : store.openWriter(id);
        } catch (RuntimeException e) {
            return fail(FAILED, "cannot take over run " + id + ": " + oneLine(e));
        }
        String json;
        try (RunReader reader = store.reader(id)) {
            json = reader.configJson();
        }
        RunConfig config;
        try {
            config = ConfigParser.parse(json, dataDir);
        } catch (ConfigException e) {
            return endEarly(writer, BAD_CONFIG, "bad config: " + e.getMessage());
        }
        Dataset data;
        try {
            data = Datasets.load(config, dataDir);
        } catch (DatasetException e) {
            return endEarly(writer, FAILED, e.getMessage());
        }
        return train(store, id, writer, config, data, from);
    }

    private int endEarly(RunWriter writer, int code, String reason) {
        try (writer) {
            writer.status(RunStatus.FAILED, reason);
        }
        return fail(code, reason);
    }

    /**
     * Trains (or resumes) and reports. A full disk may keep the writer from recording the final status or closing
     * cleanly: that is logged on one line and the outcome is reported, the records written so far stay readable.
     */
    private int train(RunStore store, String id, RunWriter plain, RunConfig config, Dataset data, ResumePoint from) {
        RunWriter writer = new StopAs(plain, () -> store.stopRequest(id)); // a sweep's prune ends the run as pruned, not stopped
        NativeThreads.capUnlessSet(System.getenv(), err);
        TrainOutcome outcome;
        ProgressPrinter progress = new ProgressPrinter(out, terminal, config.epochs(), System::nanoTime);
        try {
            out.println("run " + id + " (" + config.name() + "): " + store.dir(id)
                    + (from == null ? "" : " resumed at step " + from.step() + " from " + from.name()));
            out.flush();
            try {
                // the trainer writes status running and its final status itself
                outcome = from == null ? training.train(config, data, writer, progress, stop::requested)
                        : training.resume(config, data, writer, progress, stop::requested, from);
                if (outcome == null) outcome = new TrainOutcome(RunStatus.FAILED, "the trainer returned no outcome", 0);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                LOG.error("the trainer threw", e); // slf4j-simple writes to stderr: kept in the run's log when the server started us
                outcome = new TrainOutcome(RunStatus.FAILED, oneLine(e), 0);
            }
            progress.finish();
            try {
                if (!store.state(id).status().isFinal()) writer.status(outcome.status(), outcome.reason()); // it could not
            } catch (RuntimeException e) {
                LOG.error("run {}: could not record its final status {}: {}", id, outcome.status().wire(), oneLine(e));
            }
        } finally {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.error("run {}: could not close its files cleanly: {}", id, oneLine(e));
            }
        }
        StatusRecord end = store.state(id);
        RunStatus status = end.status().isFinal() ? end.status() : outcome.status();
        String reason = end.status().isFinal() ? end.reason() : outcome.reason();
        String summary = "run " + id + " " + status.wire() + (reason.isEmpty() ? "" : ": " + reason);
        if (status == RunStatus.FINISHED || status == RunStatus.STOPPED || status == RunStatus.PRUNED) out.println(summary);
        else err.println("error: " + summary);
        out.flush();
        return exitCode(status);
    }

    static int exitCode(RunStatus status) {
        return switch (status) {
            case FINISHED -> OK;
            case STOPPED, PRUNED -> StopSignal.EXIT_STOPPED;
            default -> FAILED;
        };
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }

    static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage();
        return (e.getClass().getSimpleName() + msg).replaceAll("\\s+", " ").trim();
    }
}
