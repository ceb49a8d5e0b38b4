package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.event.CheckOutcome;
import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.DatasetCatalog;
import trainwatch.config.RunConfig;
import trainwatch.config.StoredConfig;
import trainwatch.data.Dataset;
import trainwatch.data.DatasetException;
import trainwatch.data.Datasets;
import trainwatch.lab.CheckJson;
import trainwatch.lab.GradientCheck;
import trainwatch.lab.LabChecks;
import trainwatch.lab.OverfitCheck;
import trainwatch.event.CheckResult;
import trainwatch.store.CheckFiles;
import trainwatch.store.RunStore;

/**
 * `check overfit|gradients CONFIG.json` prints a report; `check NAME --run ID
 * [--runs DIR]` (what the server launches) also writes runs/&lt;id&gt;/checks/NAME.json,
 * "running" first, then the result. `--max-iterations N` caps the overfit check.
 * Exit codes: 0 pass (or warn), 1 fail or the check could not run, 2 bad usage or config.
 */
public final class CheckCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);
    static final int PASS = 0, FAIL = 1, BAD_CONFIG = 2;
    static final String USAGE = "usage: check overfit|gradients CONFIG.json [--max-iterations N]\n"
            + "       check overfit|gradients --run ID [--runs DIR] [--max-iterations N]\n"
            + "       check overfit|gradients --remote URL --run ID [--max-iterations N] (key in $TRAINWATCH_INGEST_KEY, config in $TRAINWATCH_RUN_CONFIG)";
    /** How long `check --remote` keeps trying to deliver a report while the server is away (a restart). */
    static final long REMOTE_PATIENCE_MS = 5 * 60_000;

    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final Map<String, String> env;

    CheckCommand(PrintStream out, PrintStream err, Path dataDir) {
        this(out, err, dataDir, System.getenv());
    }

    CheckCommand(PrintStream out, PrintStream err, Path dataDir, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
        this.env = env;
    }

    /** Returns the process exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** The same with the report and errors going to the given streams (tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CheckCommand(out, err, DatasetCatalog.dataDir()).execute(args);
    }

    /** The same with the environment given (`check --remote` reads its key and config there): tests run a check Job's command in process. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return new CheckCommand(out, err, DatasetCatalog.dataDir(), env).execute(args);
    }

    int execute(String[] args) {
        if (args.length == 0 || !(args[0].equals(LabChecks.OVERFIT) || args[0].equals(LabChecks.GRADIENTS)))
            return fail(BAD_CONFIG, (args.length == 0 ? "missing check name" : "unknown check " + args[0]) + " (overfit, gradients)\n" + USAGE);
        String check = args[0];
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        int maxIterations;
        TrainArgs a;
        try {
            maxIterations = takeMaxIterations(rest);
            a = TrainArgs.parse(rest.toArray(String[]::new));
        } catch (TrainArgs.UsageException e) {
            return fail(BAD_CONFIG, e.getMessage().replace("train", "check") + "\n" + USAGE);
        }
        if (a.remote() != null) {
            if (a.runId() == null || a.configFile() != null) return fail(BAD_CONFIG, "check --remote URL needs --run ID (and no CONFIG.json)\n" + USAGE);
            return forRemoteRun(check, a.remote(), a.runId(), maxIterations);
        }
        return a.configFile() != null ? fromFile(check, a.configFile(), maxIterations) : forRun(check, a.runId(), a.runsDir(), maxIterations);
    }

    private int fromFile(String check, Path file, int maxIterations) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            return fail(BAD_CONFIG, "cannot read " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            return fail(BAD_CONFIG, "cannot read " + file + ": " + TrainCommand.oneLine(e));
        }
        RunConfig config;
        Dataset data;
        try {
            config = ConfigParser.parse(json, dataDir);
            data = Datasets.load(config, dataDir);
        } catch (ConfigException | DatasetException e) {
            return fail(BAD_CONFIG, e.getMessage());
        }
        NativeThreads.capUnlessSet(System.getenv(), err);
        LabChecks.Outcome o;
        try {
            o = runCheck(check, config, data, maxIterations);
        } catch (RuntimeException e) {
            LOG.error("the {} check could not run", check, e);
            return fail(FAIL, "the " + check + " check could not run: " + TrainCommand.oneLine(e));
        }
        out.print(o.text());
        out.flush();
        return exitCode(o.outcome());
    }

    /** Run mode: the result goes into the run directory whatever happens, so the page never shows "running" forever. */
    private int forRun(String check, String id, Path runsDir, int maxIterations) {
        if (!RunStore.validId(id)) return fail(BAD_CONFIG, "invalid run id " + id);
        Path dir = runsDir.resolve(id);
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) return fail(BAD_CONFIG, "no run " + id + " under " + runsDir);
        CheckReporter files = (outcome, summary, details) -> writeResult(dir, check, outcome, summary, details);
        String json;
        try {
            json = Files.readString(configFile);
        } catch (IOException e) {
            json = null; // reported as the check's failure below
        }
        return checkAndReport(check, id, json, files, Map.of("pid", ProcessHandle.current().pid()), maxIterations, true);
    }

    /**
     * `check NAME --remote URL --run ID`, what a check's Kubernetes Job runs: no runs/ directory here; the config
     * comes from $TRAINWATCH_RUN_CONFIG (the Job's Secret), the data from this image, and every report goes to the
     * server with the key from $TRAINWATCH_INGEST_KEY. Exit 0 once its result is delivered, whatever the outcome
     * (the result is the server's to show; a failed pod means the check could not run or report).
     */
    private int forRemoteRun(String check, String url, String id, int maxIterations) {
        if (!RunStore.validId(id)) return fail(BAD_CONFIG, "invalid run id " + id);
        String key = env.get(RemoteTrain.KEY_ENV);
        if (key == null || key.isBlank()) return fail(BAD_CONFIG, "check --remote needs the check's key in the environment variable " + RemoteTrain.KEY_ENV);
        String json = env.get(RemoteTrain.CONFIG_ENV);
        if (json == null || json.isBlank()) return fail(BAD_CONFIG, "check --remote needs the run's config in the environment variable " + RemoteTrain.CONFIG_ENV);
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        CheckReporter server = CheckReporter.remote(base, id, check, key.trim(), REMOTE_PATIENCE_MS);
        int code = checkAndReport(check, id, json, server, Map.of(), maxIterations, false);
        return code == FAIL_TO_REPORT ? FAIL : code == BAD_CONFIG ? BAD_CONFIG : code == FAIL_TO_RUN ? FAIL : PASS;
    }

    /** Internal codes of {@link #checkAndReport} beyond the exit codes: the check could not run, or its result not be stored. */
    private static final int FAIL_TO_RUN = 11, FAIL_TO_REPORT = 12;

    /**
     * Reports "running", runs the check, reports its result (or why it could not run): the same outcome, summary and
     * details wherever the reports go. {@code local}: exit codes as before (1 for a failing outcome); otherwise the
     * internal codes tell apart a result (pass/warn/fail: 0/1), a bad config (2) and a failure to run or report.
     */
    private int checkAndReport(String check, String id, String configJson, CheckReporter reporter, Map<String, Object> runningExtra,
                               int maxIterations, boolean local) {
        long started = System.currentTimeMillis();
        Map<String, Object> running = new java.util.LinkedHashMap<>(runningExtra);
        running.put("startedMs", started);
        try {
            reporter.report("running", "the " + check + " check is running", running);
        } catch (IOException e) {
            LOG.warn("the {} check of run {}: its running state could not be reported: {}", check, id, e.toString());
        }
        int code;
        String outcome, summary;
        Map<String, Object> details;
        try {
            if (configJson == null) throw new IOException("the run's config.json could not be read");
            RunConfig config = ConfigParser.parse(StoredConfig.trainerPart(configJson), dataDir); // a remote run's too
            Dataset data = Datasets.load(config, dataDir);
            NativeThreads.capUnlessSet(System.getenv(), err);
            LabChecks.Outcome o = runCheck(check, config, data, maxIterations);
            details = new java.util.LinkedHashMap<>(o.details());
            details.put("durationMs", System.currentTimeMillis() - started);
            outcome = o.outcome().wire();
            summary = o.summary();
            out.print(o.text());
            out.flush();
            code = exitCode(o.outcome());
        } catch (ConfigException | DatasetException e) {
            outcome = CheckOutcome.FAIL.wire();
            summary = "bad config: " + e.getMessage();
            details = Map.of();
            err.println("error: " + e.getMessage());
            code = BAD_CONFIG;
        } catch (IOException | RuntimeException e) {
            LOG.error("the {} check of run {} could not run", check, id, e);
            outcome = CheckOutcome.FAIL.wire();
            summary = "the " + check + " check could not run: " + TrainCommand.oneLine(e);
            details = Map.of();
            err.println("error: " + summary);
            code = local ? FAIL : FAIL_TO_RUN;
        }
        try {
            reporter.report(outcome, summary, details);
        } catch (IOException | RuntimeException e) {
            err.println("error: the result of the " + check + " check could not be stored: " + TrainCommand.oneLine(e));
            return local ? FAIL : FAIL_TO_REPORT;
        } finally {
            err.flush();
        }
        return code;
    }

    private static LabChecks.Outcome runCheck(String check, RunConfig config, Dataset data, int maxIterations) {
        if (check.equals(LabChecks.OVERFIT)) {
            OverfitCheck.Options d = OverfitCheck.Options.defaults();
            int cap = maxIterations > 0 ? maxIterations : d.maxIterations();
            return LabChecks.overfit(config, data, new OverfitCheck.Options(cap, d.lossTarget(), d.timeLimitMs(), d.evalEvery()));
        }
        return LabChecks.gradients(config, data, GradientCheck.Options.defaults());
    }

    /** Removes "--max-iterations N" from the arguments; 0 when absent. */
    private static int takeMaxIterations(List<String> args) throws TrainArgs.UsageException {
        int i = args.indexOf("--max-iterations");
        if (i < 0) return 0;
        if (i + 1 >= args.size()) throw new TrainArgs.UsageException("--max-iterations needs a value");
        String v = args.get(i + 1);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new TrainArgs.UsageException("--max-iterations must be a whole number (got " + v + ")");
        }
        if (n < 1 || n > 1_000_000) throw new TrainArgs.UsageException("--max-iterations must be in 1..1000000 (got " + n + ")");
        args.remove(i + 1);
        args.remove(i);
        return n;
    }

    /** checks/NAME.json through the store (atomic replace), where RunReader.checks() finds it. */
    private static void writeResult(Path runDir, String check, String outcome, String summary, Map<String, Object> details) {
        CheckFiles.write(runDir, new CheckResult(-1, System.currentTimeMillis(), check, outcome, summary, CheckJson.write(details)));
    }

    /** A warning is information, not a failure: only FAIL makes the command fail. */
    static int exitCode(CheckOutcome outcome) {
        return outcome == CheckOutcome.FAIL ? FAIL : PASS;
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }
}
