package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import trainwatch.config.DatasetCatalog;
import trainwatch.run.ChildJvm;
import trainwatch.run.Launcher;
import trainwatch.run.Problem;
import trainwatch.run.RunException;
import trainwatch.run.Supervisor;
import trainwatch.store.RunStore;
import trainwatch.sweep.SpecParser;
import trainwatch.sweep.StoreTrials;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepSpec;
import trainwatch.sweep.SweepStore;
import trainwatch.sweep.SweepView;

/**
 * `sweep SPEC.json [--runs DIR]`: runs a whole sweep without the server. Trials are runs under
 * DIR trained by child JVMs (`train --run ID`) through the same supervisor as the server's,
 * {@code parallel} at once; the sweep is recorded under DIR/.sweeps/ so a server started later
 * shows it. Exit 0 finished with at least one finished trial, 1 none finished, 2 bad spec,
 * 130 stopped by SIGINT/SIGTERM (running trials are stopped cleanly first).
 */
public final class SweepCommand {
    static final int OK = 0, NONE_FINISHED = 1, BAD_SPEC = 2;
    static final String USAGE = "usage: sweep SPEC.json [--runs runs]";
    /** How long a signal waits for the running trials to stop and be recorded. */
    static final Duration STOP_WAIT = Duration.ofSeconds(120);
    static final long POLL_MS = 200;

    private final PrintStream out, err;
    private final boolean terminal;
    private final StopSignal stop;
    private final Function<Path, Launcher> launchers;
    private final Path dataDir;

    SweepCommand(PrintStream out, PrintStream err, boolean terminal, StopSignal stop, Function<Path, Launcher> launchers, Path dataDir) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.stop = stop;
        this.launchers = launchers;
        this.dataDir = dataDir;
    }

    public static int run(String[] args) {
        StopSignal stop = new StopSignal();
        stop.install(STOP_WAIT);
        try {
            return new SweepCommand(System.out, System.err, System.console() != null, stop, root -> new ChildJvm(root, List.of()),
                    DatasetCatalog.dataDir()).execute(args);
        } finally {
            stop.finished();
            stop.uninstall();
        }
    }

    int execute(String[] args) {
        Path specFile = null, runs = Path.of("runs");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs") && i + 1 < args.length) runs = Path.of(args[++i]);
            else if (!args[i].startsWith("--") && specFile == null) specFile = Path.of(args[i]);
            else return fail("unknown or incomplete argument " + args[i] + "\n" + USAGE);
        }
        if (specFile == null) return fail("a spec file is required\n" + USAGE);
        String json;
        try {
            if (Files.isRegularFile(specFile) && Files.size(specFile) > TrainCommand.MAX_CONFIG_BYTES)
                return fail(specFile + " is larger than " + TrainCommand.MAX_CONFIG_BYTES / 1024 + " KB: not a sweep spec");
            json = Files.readString(specFile);
        } catch (NoSuchFileException e) {
            return fail("cannot read " + specFile + ": no such file");
        } catch (IOException | RuntimeException e) {
            return fail("cannot read " + specFile + ": " + TrainCommand.oneLine(e));
        }
        SweepSpec spec;
        try {
            spec = SpecParser.parse(json, dataDir);
        } catch (RunException e) {
            for (Problem p : e.problems()) err.println("error: " + p.line());
            err.flush();
            return BAD_SPEC;
        }
        if (stop.requested()) return StopSignal.EXIT_STOPPED;
        return sweep(spec, runs.toAbsolutePath().normalize());
    }

    private int sweep(SweepSpec spec, Path runs) {
        Clock clock = Clock.systemUTC();
        try {
            Files.createDirectories(runs);
        } catch (IOException e) {
            return fail(NONE_FINISHED, "cannot create " + runs + ": " + TrainCommand.oneLine(e));
        }
        RunStore store = new RunStore(runs, clock);
        int[] size = SweepPrinter.terminalSize(System.getenv());
        List<String> paths = spec.space().list().stream().map(p -> p.path()).toList();
        SweepPrinter printer = new SweepPrinter(out, terminal, spec.tag(), spec.goal(), paths, size[0], size[1], System::nanoTime);
        try (Supervisor supervisor = new Supervisor(store, launchers.apply(runs), clock, spec.parallel(), 10_000);
             SweepService sweeps = new SweepService(new SweepStore(runs, clock),
                     new StoreTrials(store, supervisor, StoreTrials.opening(store), id -> { }, store::delete), clock, dataDir)) {
            supervisor.watch();
            String[] mine = {null}; // the service also tells changes of other sweeps on this runs/ (a server's): not ours to print
            sweeps.onChange(c -> {
                if (mine[0] == null || mine[0].equals(c.sweep())) printer.onChange(c);
            });
            SweepView v = sweeps.create(spec);
            mine[0] = v.id();
            out.println("sweep " + v.id() + " (" + spec.name() + "): " + spec.trials() + " trials, " + spec.parallel() + " at once, runs in " + runs);
            out.flush();
            sweeps.startTicking(SweepService.TICK_MS);
            boolean stopped = false;
            while (!sweeps.done(v.id())) {
                if (stop.requested() && !stopped) {
                    stopped = true;
                    sweeps.stop(v.id());
                }
                printer.refresh();
                Thread.sleep(POLL_MS);
            }
            SweepView end = sweeps.summary(v.id());
            printer.done(end);
            if (stopped || "stopped".equals(end.state())) return StopSignal.EXIT_STOPPED;
            return end.counts().finished() > 0 ? OK : NONE_FINISHED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StopSignal.EXIT_STOPPED;
        } catch (RuntimeException e) {
            return fail(NONE_FINISHED, "the sweep could not go on: " + TrainCommand.oneLine(e));
        }
    }

    private int fail(String message) {
        return fail(BAD_SPEC, message);
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }
}
