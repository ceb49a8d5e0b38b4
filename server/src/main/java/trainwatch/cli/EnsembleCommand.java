package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.config.ConfigException;
import trainwatch.config.ConfigParser;
import trainwatch.config.DatasetCatalog;
import trainwatch.config.RunConfig;
import trainwatch.ensemble.EnsembleEvaluator;
import trainwatch.ensemble.EnsembleFiles;
import trainwatch.ensemble.EnsembleJob;
import trainwatch.ensemble.EnsembleRequest;
import trainwatch.ensemble.EnsembleSpec;
import trainwatch.ensemble.EnsembleState;
import trainwatch.ensemble.MemberRef;
import trainwatch.ensemble.Members;
import trainwatch.ensemble.SweepMembers;
import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RunException;
import trainwatch.store.RunStore;
import trainwatch.sweep.StoreTrials;
import trainwatch.sweep.SweepService;
import trainwatch.sweep.SweepStore;

/**
 * `ensemble [--runs DIR] [--name NAME] [--average-params] (--sweep ID --top K | --run ID --last K |
 * --seeds N CONFIG.json | RUN[:CHECKPOINT]...)` evaluates an ensemble here and prints the table
 * (its files go under runs/.ensembles/ like the server's, so the dashboard lists it);
 * `ensemble --eval ID [--runs DIR]` evaluates one the server created (what it launches).
 * `--seeds N` first trains N runs of the config with seeds s..s+N-1, one after another.
 * Exit codes: 0 evaluated, 1 the evaluation or a member run failed, 2 bad arguments or members
 * that do not fit (the problem names the member), 130 a seeds run stopped by SIGINT or SIGTERM.
 */
public final class EnsembleCommand {
    static final int OK = 0, FAILED = 1, BAD = 2, STOPPED = 130;
    static final String USAGE = "usage: ensemble [--runs DIR] [--name NAME] [--average-params] (--sweep ID --top K | --run ID --last K"
            + " | --seeds N CONFIG.json | RUN[:CHECKPOINT]...)\n       ensemble --eval ID [--runs DIR] [--remote URL]";

    /** Runs a run's trainer in this process: `train --run ID --runs DIR` (tests pass their own). */
    interface Trainer {
        int train(String runId, Path runsDir);
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final Trainer trainer;

    EnsembleCommand(PrintStream out, PrintStream err, Path dataDir, Trainer trainer) {
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
        this.trainer = trainer;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new EnsembleCommand(out, err, DatasetCatalog.dataDir(),
                (id, runs) -> TrainCommand.run(new String[] {"--run", id, "--runs", runs.toString()})).execute(args);
    }

    int execute(String[] args) {
        Path runs = Path.of("runs");
        String eval = null, name = null, configFile = null, remote = null;
        boolean avg = false;
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode members = Json.MAPPER.createArrayNode();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--runs" -> runs = Path.of(value(args, ++i, a));
                    case "--eval" -> eval = value(args, ++i, a);
                    case "--remote" -> remote = value(args, ++i, a);
                    case "--name" -> name = value(args, ++i, a);
                    case "--average-params" -> avg = true;
                    case "--sweep" -> body.put("sweep", value(args, ++i, a));
                    case "--run" -> body.put("run", value(args, ++i, a));
                    case "--top", "--last", "--seeds" -> body.put(a.substring(2), integer(value(args, ++i, a), a));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        if (body.has("seeds") && configFile == null) configFile = a;
                        else members.add(a);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return fail(BAD, e.getMessage() + "\n" + USAGE);
        }
        if (remote != null && eval == null) return fail(BAD, "--remote URL goes with --eval ID\n" + USAGE);
        if (remote != null) return new RemoteEvaluation(out, err, dataDir, System.getenv()).run(eval, remote, runs);
        EnsembleFiles files = new EnsembleFiles(runs);
        if (eval != null) return evaluate(files, eval);
        if (!members.isEmpty()) body.set("members", members);
        if (name != null) body.put("name", name);
        if (avg) body.put("average_params", true);
        if (body.has("seeds")) {
            if (configFile == null) return fail(BAD, "--seeds N needs a CONFIG.json\n" + USAGE);
            body.set("config", Json.MAPPER.createObjectNode()); // stands in for the file's config while the request is checked
        }
        EnsembleRequest req;
        List<MemberRef> refs;
        try {
            if (body.isEmpty()) throw RunException.invalid("members", "give RUN[:CHECKPOINT]..., --run ID --last K, --sweep ID --top K or --seeds N CONFIG.json");
            req = EnsembleRequest.parse(body);
            refs = switch (req.kind()) {
                case "runs" -> req.members();
                case "run" -> Members.lastOf(files.runsRoot(), req.run(), req.last());
                case "sweep" -> sweepTop(files.runsRoot(), req.sweep(), req.top());
                default -> null;
            };
            if (refs == null) {
                refs = trainSeeds(files.runsRoot(), Path.of(configFile), req.seeds());
                if (refs.isEmpty()) return FAILED;
            }
            Members.resolve(files.runsRoot(), refs, true);
        } catch (RunException e) {
            return fail(BAD, describe(e));
        } catch (SeedsFailed e) {
            return fail(e.code, e.getMessage());
        }
        long now = Clock.systemUTC().millis();
        String id = files.newId(now);
        EnsembleSpec.Source source = new EnsembleSpec.Source(req.kind(), req.run(), req.sweep(),
                req.kind().equals("run") ? req.last() : req.kind().equals("sweep") ? req.top() : req.seeds());
        String label = req.name() != null ? req.name() : refs.size() + " members (" + req.kind() + ")";
        // running (this process) from the start: a server on the same runs/ must not take it for one of its queued ensembles
        files.create(new EnsembleSpec(id, label, now, source, refs, req.averaging()),
                new EnsembleState(EnsembleState.RUNNING, "", ProcessHandle.current().pid(), now));
        out.println("ensemble " + id + ": " + refs.size() + " members, " + files.dir(id));
        return evaluate(files, id);
    }

    private int evaluate(EnsembleFiles files, String id) {
        if (!files.exists(id)) return fail(BAD, "no ensemble " + id + " under " + files.runsRoot());
        NativeThreads.capUnlessSet(System.getenv(), err);
        EnsembleJob.Outcome o = EnsembleJob.run(files, id, dataDir);
        if (o.code() != EnsembleJob.OK) return fail(o.code(), "ensemble " + id + " failed: " + o.reason());
        out.print(EnsembleEvaluator.table(o.result()));
        out.flush();
        return OK;
    }

    /** The sweep's k best finished trials (read from runs/.sweeps/, nothing started or stopped). */
    private List<MemberRef> sweepTop(Path runsRoot, String sweep, int k) {
        Clock clock = Clock.systemUTC();
        RunStore store = new RunStore(runsRoot, clock);
        SweepService sweeps = new SweepService(new SweepStore(runsRoot, clock),
                new StoreTrials(store, null, StoreTrials.opening(store), id -> { }, id -> { }), clock, dataDir);
        if (!SweepStore.validId(sweep) || !new SweepStore(runsRoot, clock).exists(sweep)) throw RunException.invalid("sweep", "no sweep " + sweep);
        List<String> top = SweepMembers.top(sweeps, sweep, k);
        if (top.isEmpty()) throw RunException.invalid("sweep", "sweep " + sweep + " has no finished trial with a value yet");
        return top.stream().map(r -> new MemberRef(r, MemberRef.FINAL)).toList();
    }

    /** Trains N runs of the config differing only in seed (s..s+N-1); their final checkpoints are the members. */
    private List<MemberRef> trainSeeds(Path runsDir, Path file, int n) throws SeedsFailed {
        RunConfig base;
        try {
            base = ConfigParser.parse(Files.readString(file), dataDir);
        } catch (NoSuchFileException e) {
            throw new SeedsFailed(BAD, "cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new SeedsFailed(BAD, "cannot read " + file + ": " + e.getMessage());
        } catch (ConfigException e) {
            throw new SeedsFailed(BAD, e.getMessage());
        }
        RunStore store = new RunStore(runsDir, Clock.systemUTC());
        List<MemberRef> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = base.seed() + i;
            ObjectNode c;
            try {
                c = (ObjectNode) Json.MAPPER.readTree(ConfigParser.toJson(base.withSeed(seed)));
            } catch (IOException e) {
                throw new SeedsFailed(FAILED, e.getMessage());
            }
            String name = base.name() + " seed " + seed;
            c.put("name", name.length() > 100 ? name.substring(0, 100) : name);
            String id = store.newId();
            store.create(id, c.toString(), RunStatus.QUEUED, "");
            out.println("seed " + seed + ": run " + id);
            out.flush();
            int code = trainer.train(id, runsDir);
            if (code != 0) // a trainer stopped by SIGINT/SIGTERM (130) stops the whole command the same way
                throw new SeedsFailed(code == STOPPED ? STOPPED : FAILED, "member run " + id + " (seed " + seed + ") ended with exit code " + code);
            refs.add(new MemberRef(id, MemberRef.FINAL));
        }
        return refs;
    }

    private static final class SeedsFailed extends Exception {
        final int code;

        SeedsFailed(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    static String describe(RunException e) {
        StringBuilder b = new StringBuilder();
        for (Problem p : e.problems()) {
            if (b.length() > 0) b.append('\n');
            b.append(p.field().isEmpty() ? "" : p.field() + ": ").append(p.message());
        }
        return b.length() == 0 ? e.getMessage() : b.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].isEmpty()) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int integer(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number (got " + v + ")");
        }
    }

    private int fail(int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }
}
