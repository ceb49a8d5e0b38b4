package trainwatch.run;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches {@code trainwatch.Main} of this very jar (or class path) in a child JVM,
 * detached from the server's process group (setsid when available) so it outlives a
 * server restart, with its output in a file (never an undrained pipe).
 */
public final class ChildJvm implements Launcher {
    public static final String TRAINER_LOG = "trainer.log";

    private final Path runsRoot;
    private final List<String> jvmArgs;
    private final String classPath;
    private final String java;
    private final String setsid;

    public ChildJvm(Path runsRoot, List<String> jvmArgs) {
        this(runsRoot, jvmArgs, System.getProperty("java.class.path"));
    }

    public ChildJvm(Path runsRoot, List<String> jvmArgs, String classPath) {
        this.runsRoot = runsRoot.toAbsolutePath().normalize();
        this.jvmArgs = List.copyOf(jvmArgs);
        this.classPath = classPath;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.setsid = findSetsid();
    }

    @Override
    public Process startTrainer(String id) throws IOException {
        return start(List.of("train", "--run", id, "--runs", runsRoot.toString()), runsRoot.resolve(id).resolve(TRAINER_LOG));
    }

    @Override
    public Process startCheck(String id, String check) throws IOException {
        return start(List.of("check", check, "--run", id, "--runs", runsRoot.toString()),
                runsRoot.resolve(id).resolve("check-" + check + ".log"));
    }

    /** The full command line, visible for tests and the report. */
    public List<String> command(List<String> mainArgs) {
        List<String> cmd = new ArrayList<>();
        if (setsid != null) cmd.add(setsid);
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("trainwatch.Main");
        cmd.addAll(mainArgs);
        return cmd;
    }

    private Process start(List<String> mainArgs, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command(mainArgs))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")));
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static String findSetsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }
}
