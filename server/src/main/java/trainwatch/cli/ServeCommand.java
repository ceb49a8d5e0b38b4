package trainwatch.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trainwatch.http.TrainwatchServer;
import trainwatch.live.LiveLimits;

/**
 * {@code serve [--port 7070] [--host 127.0.0.1] [--runs DIR] [--max-parallel N] [--webhook URL]}.
 * Binds 127.0.0.1 unless told otherwise: sharing with a team is an explicit --host 0.0.0.0.
 */
public final class ServeCommand {
    private ServeCommand() {}

    static final String USAGE = "usage: serve [--port 7070] [--host 127.0.0.1] [--runs runs] [--max-parallel N] [--webhook URL] [--child-xmx SIZE]";

    /** Returns the process exit code, or -1 to keep the process running. */
    public static int run(String[] args) {
        TrainwatchServer.Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            TrainwatchServer server = new TrainwatchServer(o).start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "trainwatch-shutdown"));
            System.out.println("trainwatch serving http://" + (o.host().contains(":") ? "[" + o.host() + "]" : o.host()) + ":" + server.port()
                    + "/ (runs in " + o.runs().toAbsolutePath().normalize() + ")");
            return -1;
        } catch (Exception e) {
            System.err.println("serve: could not start: " + e.getMessage());
            return 1;
        }
    }

    static TrainwatchServer.Options parse(String[] args) {
        int port = 7070;
        String host = "127.0.0.1";
        Path runs = Path.of("runs");
        int maxParallel = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        URI webhook = null;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> port = intArg(a, v, 0, 65535);
                case "--host" -> host = need(a, v);
                case "--runs" -> runs = Path.of(need(a, v));
                case "--max-parallel" -> maxParallel = intArg(a, v, 1, 1024);
                case "--webhook" -> webhook = url(need(a, v));
                case "--child-xmx" -> jvmArgs.add("-Xmx" + need(a, v));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        return TrainwatchServer.Options.defaults().withHost(host).withPort(port).withRuns(runs).withMaxParallel(maxParallel)
                .withWebhook(webhook).withWebDir(checkoutWeb()).withChildJvmArgs(jvmArgs);
    }

    /**
     * In a checkout, the live web/ directory (edits show on reload); otherwise null = the jar's copy.
     * Absolute and normalised: Jetty refuses a base like "../web" as an alias and would answer 404 for every file.
     */
    static Path checkoutWeb() {
        for (Path web : new Path[] {Path.of("web"), Path.of("..", "web")}) {
            if (Files.isRegularFile(web.resolve("index.html"))) return web.toAbsolutePath().normalize();
        }
        return null;
    }

    private static String need(String opt, String v) {
        if (v == null || v.startsWith("--")) throw new IllegalArgumentException(opt + " needs a value");
        return v;
    }

    private static int intArg(String opt, String v, int min, int max) {
        try {
            int n = Integer.parseInt(need(opt, v));
            if (n < min || n > max) throw new IllegalArgumentException(opt + " must be between " + min + " and " + max + " (got " + n + ")");
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be an integer (got " + v + ")");
        }
    }

    private static URI url(String v) {
        try {
            URI u = URI.create(v);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) throw new IllegalArgumentException("--webhook must be an http(s) URL (got " + v + ")");
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--webhook must be an http(s) URL (got " + v + ")");
        }
    }
}
