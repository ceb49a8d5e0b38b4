package trainwatch.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real trainwatch server (`trainwatch.Main serve`) as a child process on a
 * fixed port, so a test can stop and restart it while a browser page stays open
 * and the trainers it launched keep running.
 */
final class ServerProcess implements AutoCloseable {
    private final Path runs;
    private final Path log;
    private final int port;
    private Process process;

    ServerProcess(Path runs) throws IOException {
        this.runs = runs;
        this.log = runs.resolveSibling("server.log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path runs() {
        return runs;
    }

    ServerProcess start() throws Exception {
        Files.createDirectories(runs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", cp, "trainwatch.Main", "serve",
                "--port", String.valueOf(port), "--host", "127.0.0.1", "--runs", runs.toString()));
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.directory(repoRoot().toFile()); // where README tells people to run it: web/ is served from there
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        awaitUp();
        return this;
    }

    private void awaitUp() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + tail());
            try {
                var res = http.send(HttpRequest.newBuilder(URI.create(url() + "api/runs")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not answer within 60 s:\n" + tail());
    }

    /** Stops the server the way an operator would (SIGTERM); its trainers run on. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** The checkout's root (surefire runs in server/). */
    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) if (Files.isDirectory(p.resolve("web"))) return p;
        return dir;
    }

    String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the server; a test whose server logged a fault ("internal error <id>", always with its trace) fails. */
    @Override
    public void close() throws InterruptedException {
        stop();
        String all;
        try {
            all = Files.readString(log);
        } catch (IOException e) {
            return; // never started
        }
        if (all.contains("trainwatch.http.Faults - internal error ")) throw new AssertionError("the server logged an internal error:\n" + tail());
    }
}
