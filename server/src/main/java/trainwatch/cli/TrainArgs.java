package trainwatch.cli;

import java.nio.file.Path;

/**
 * `train CONFIG.json [--runs DIR]`, `train --run ID [--runs DIR]` (takes over a
 * run directory the server created as queued) or `train --resume ID [--runs DIR]`
 * (continues an interrupted or stopped run from its newest checkpoint).
 * Exactly one of configFile / runId is set; {@code resume} marks the third form.
 */
record TrainArgs(Path configFile, String runId, Path runsDir, boolean resume, String remote) {
    static final String USAGE = "usage: train CONFIG.json [--runs DIR] | train --run ID [--runs DIR] | train --resume ID [--runs DIR]"
            + " | train CONFIG.json --remote URL | train --remote URL --run ID (key in $TRAINWATCH_INGEST_KEY)";

    /** The local forms (tests written before --remote). */
    TrainArgs(Path configFile, String runId, Path runsDir, boolean resume) {
        this(configFile, runId, runsDir, resume, null);
    }

    static TrainArgs parse(String[] args) throws UsageException {
        Path config = null;
        String run = null;
        boolean resume = false;
        Path runs = Path.of("runs");
        String remote = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--runs" -> runs = Path.of(value(args, ++i, a));
                case "--remote" -> remote = value(args, ++i, a);
                case "--run", "--resume" -> {
                    if (run != null) throw new UsageException("--run or --resume given twice");
                    run = value(args, ++i, a);
                    resume = a.equals("--resume");
                }
                default -> {
                    if (a.startsWith("--remote=")) remote = nonEmpty(a.substring(9), "--remote");
                    else if (a.startsWith("--runs=")) runs = Path.of(nonEmpty(a.substring(7), "--runs"));
                    else if (a.startsWith("--run=")) run = nonEmpty(a.substring(6), "--run");
                    else if (a.startsWith("--resume=")) {
                        run = nonEmpty(a.substring(9), "--resume");
                        resume = true;
                    } else if (a.startsWith("-") && !a.equals("-")) throw new UsageException("unknown option " + a);
                    else if (config != null) throw new UsageException("only one CONFIG.json, got " + config + " and " + a);
                    else config = Path.of(a);
                }
            }
        }
        if (config == null && run == null) throw new UsageException("missing CONFIG.json");
        if (config != null && run != null) throw new UsageException("give CONFIG.json or " + (resume ? "--resume" : "--run") + " ID, not both");
        if (remote != null && resume) throw new UsageException("--resume does not apply to --remote (a remote run continues when its trainer sends again)");
        if (remote != null && !(remote.startsWith("http://") || remote.startsWith("https://")))
            throw new UsageException("--remote needs the server's URL, e.g. http://host:7070 (got " + remote + ")");
        return new TrainArgs(config, run, runs, resume, remote);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) throw new UsageException(option + " needs a value");
        return nonEmpty(args[i], option);
    }

    private static String nonEmpty(String v, String option) throws UsageException {
        if (v.isEmpty()) throw new UsageException(option + " needs a value");
        return v;
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
