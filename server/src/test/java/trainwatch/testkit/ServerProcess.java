package trainwatch.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server ({@code trainwatch.Main serve}) as a child process, for tests that stop,
 * kill or restart it under an open page or a running trainer. The first start binds port 0
 * and reads the port the server prints (no free port is picked and released before the child
 * binds it); a restart binds that same port again, so an open page's URL stays valid.
 * Every process the server started is killed at {@link #close()}, and nothing else.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");
    private static final long START_TIMEOUT_MS = 180_000;

    private final Path runs;
    private final Path log;
    private final List<String> extraArgs;
    private final StartedProcesses started = new StartedProcesses();
    private int port;
    private Process process;
    private String maxHeap = "512m";
    private boolean packaged;

    /** {@code extraArgs} go after {@code serve --runs DIR}, e.g. "--max-parallel", "1". */
    public ServerProcess(Path runs, String... extraArgs) {
        this.runs = runs;
        this.log = runs.resolveSibling(runs.getFileName() + "-server.log");
        this.extraArgs = List.of(extraArgs);
    }

    /** The server JVM's -Xmx (default 512m), e.g. "64m" to show a route holds little memory. */
    public ServerProcess maxHeap(String xmx) {
        this.maxHeap = xmx;
        return this;
    }

    /**
     * The server's own classes from one jar, as users run it, instead of target/classes: a class loaded from a
     * directory opens its file, so a process out of descriptors could not load the classes of its own error paths.
     */
    public ServerProcess packaged() {
        this.packaged = true;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public int port() {
        return port;
    }

    public Path runs() {
        return runs;
    }

    /** The server JVM's pid (it is launched directly, not through a shell). */
    public long pid() {
        return process.pid();
    }

    /** Starts the server (on its previous port if it ran before) and returns once it listens. */
    public ServerProcess start() throws Exception {
        Files.createDirectories(runs);
        long from = Files.exists(log) ? Files.size(log) : 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (packaged) cp = ClassesJar.replaceClassesDir(cp);
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-cp", cp, "trainwatch.Main", "serve",
                "--port", String.valueOf(port), "--host", "127.0.0.1", "--runs", runs.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.directory(repoRoot().toFile()); // where README tells people to run it: web/ is served from there
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        started.add(process.toHandle());
        port = awaitListening(from);
        return this;
    }

    /** Reads the log from {@code from} until the server names the port it listens on. */
    private int awaitListening(long from) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(logSince(from));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + tail());
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not listen within " + START_TIMEOUT_MS + " ms:\n" + tail());
    }

    private String logSince(long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
    }

    /** Stops the server the way an operator would (SIGTERM); its trainers run on. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        rememberChildren();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** SIGKILL: no shutdown hook runs; its trainers run on. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        rememberChildren();
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        process = null;
    }

    /** The server's trainers outlive it (they are re-parented): note them while they are still its children. */
    private void rememberChildren() {
        process.descendants().forEach(started::add);
    }

    /** The checkout's root (surefire runs in server/). */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) if (Files.isDirectory(p.resolve("web"))) return p;
        return dir;
    }

    public String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Kills the server and every process it started. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) rememberChildren();
        process = null;
        started.killAll();
        assertNoFaults();
    }

    /** A test whose server logged a fault ("internal error <id>", always with its trace) fails. */
    private void assertNoFaults() {
        String all;
        try {
            all = Files.readString(log);
        } catch (IOException e) {
            return; // never started
        }
        if (all.contains("trainwatch.http.Faults - internal error ")) throw new AssertionError("the server logged an internal error:\n" + tail());
    }
}
