package trainwatch.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trainwatch.auth.AuthSettings;
import trainwatch.auth.Authenticator;
import trainwatch.auth.Role;
import trainwatch.auth.TokenStore;
import io.fabric8.kubernetes.client.KubernetesClient;

import trainwatch.http.TrainwatchServer;
import trainwatch.live.LiveLimits;
import trainwatch.run.ExecutorFactory;
import trainwatch.run.kubernetes.Connect;
import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.KubernetesExecutor;

/**
 * {@code serve [--port 7070] [--host 127.0.0.1] [--runs DIR] [--max-parallel N] [--webhook URL]}.
 * Binds 127.0.0.1 unless told otherwise: sharing with a team is an explicit --host 0.0.0.0.
 */
public final class ServeCommand {
    private ServeCommand() {}

    static final String USAGE = "usage: serve [--port 7070] [--host 127.0.0.1] [--runs runs] [--max-parallel N] [--webhook URL] [--child-xmx SIZE]"
            + " [--public-url URL] [--allowed-host NAME]... [--no-auth] [--auth-proxy-header HEADER --trusted-proxy ADDR... [--proxy-role ROLE]]\n"
            + "             [--executor local|kubernetes --k8s-image IMAGE --public-url URL [--k8s-namespace NS] [--k8s-ttl SECONDS]]";

    /** What --executor kubernetes needs besides the common options (docs/kubernetes.md). */
    record KubernetesOptions(String namespace, String image, String publicUrl, long ttlSeconds) {}

    /** What the command line says: the server's options and its auth settings (docs/auth.md). */
    record Parsed(TrainwatchServer.Options options, AuthSettings auth) {}

    /** Returns the process exit code, or -1 to keep the process running. */
    public static int run(String[] args) {
        TrainwatchServer.Options o;
        AuthSettings auth;
        KubernetesOptions k8s;
        try {
            Parsed p = parseAll(args);
            o = p.options();
            auth = p.auth();
            k8s = kubernetes(args);
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (k8s != null) {
            try {
                o = o.withExecutor(kubernetesExecutor(k8s, o.stopTimeoutMs()));
            } catch (Connect.Unreachable e) {
                System.err.println("serve: --executor kubernetes: " + e.getMessage()); // one line, no trace: exit 2 at once
                return 2;
            } catch (IllegalArgumentException e) {
                System.err.println("serve: " + e.getMessage() + "\n" + USAGE);
                return 2;
            }
        }
        boolean loopback = !o.host().isBlank() && isLoopback(o.host());
        try {
            String refusal = Authenticator.startRefusal(loopback, auth, new TokenStore(o.runs().toAbsolutePath().normalize(), java.time.Clock.systemUTC()));
            if (refusal != null) {
                System.err.println("serve: " + refusal);
                return 2;
            }
        } catch (RuntimeException e) {
            System.err.println("serve: " + e.getMessage());
            return 2;
        }
        if (auth.noAuth() && !loopback) {
            System.err.println("serve: WARNING --no-auth on " + o.host() + ": NO AUTHENTICATION. Everyone who can reach this port can start, stop and"
                    + " delete runs and read everything. Use it only on a network where that is fine, or behind a proxy that authenticates.");
        }
        try {
            TrainwatchServer server = new TrainwatchServer(o, auth).start();
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
        return parseAll(args).options();
    }

    /** The kubernetes options, or null for --executor local (the default); checks they go together. */
    static KubernetesOptions kubernetes(String[] args) {
        String executor = "local", namespace = null, image = null, publicUrl = null;
        long ttl = 3600;
        for (int i = 0; i + 1 < args.length; i++) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--executor" -> executor = v;
                case "--k8s-namespace" -> namespace = v;
                case "--k8s-image" -> image = v;
                case "--public-url" -> publicUrl = v;
                case "--k8s-ttl" -> ttl = intArg("--k8s-ttl", v, 0, Integer.MAX_VALUE);
                default -> { }
            }
        }
        if (!executor.equals("local") && !executor.equals("kubernetes"))
            throw new IllegalArgumentException("--executor must be local or kubernetes (got " + executor + ")");
        if (executor.equals("local")) {
            if (namespace != null || image != null) throw new IllegalArgumentException("--k8s-namespace and --k8s-image need --executor kubernetes");
            return null;
        }
        if (image == null) throw new IllegalArgumentException("--executor kubernetes needs --k8s-image IMAGE (this server's image: the pods run its jar)");
        if (publicUrl == null) throw new IllegalArgumentException("--executor kubernetes needs --public-url URL (where the pods reach this server)");
        new JobSpecs.Template(namespace == null ? "default" : namespace, image, publicUrl, ttl, 10); // the same checks, before the cluster is asked
        return new KubernetesOptions(namespace, image, publicUrl, ttl);
    }

    /** Reaches the cluster now (Connect.Unreachable when it cannot); the executor is built when the server is. */
    static ExecutorFactory kubernetesExecutor(KubernetesOptions k, long stopTimeoutMs) throws Connect.Unreachable {
        KubernetesClient client = Connect.client(k.namespace());
        JobSpecs.Template t = new JobSpecs.Template(client.getNamespace(), k.image(), k.publicUrl(), k.ttlSeconds(), Math.max(1, stopTimeoutMs / 1000));
        return (store, local, clock) -> new KubernetesExecutor(client, t, store, local, clock);
    }

    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).isLoopbackAddress()
                    || host.equalsIgnoreCase("localhost");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static Parsed parseAll(String[] args) {
        boolean noAuth = false;
        URI publicUrl = null;
        List<String> allowed = new ArrayList<>();
        String proxyHeader = null;
        List<String> trusted = new ArrayList<>();
        Role proxyRole = Role.VIEWER;
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
                case "--public-url" -> publicUrl = publicUrl(need(a, v));
                case "--allowed-host" -> allowed.add(hostName(need(a, v)));
                case "--auth-proxy-header" -> proxyHeader = need(a, v);
                case "--trusted-proxy" -> trusted.add(need(a, v).trim().toLowerCase(java.util.Locale.ROOT).replaceAll("^\\[|\\]$", ""));
                case "--proxy-role" -> proxyRole = Role.parse(need(a, v));
                case "--executor", "--k8s-namespace", "--k8s-image", "--k8s-ttl" -> need(a, v); // kubernetes(args)
                case "--no-auth" -> {
                    noAuth = true;
                    i--; // a flag without a value
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        AuthSettings auth = new AuthSettings(noAuth, publicUrl, allowed, proxyHeader, trusted, proxyRole);
        return new Parsed(TrainwatchServer.Options.defaults().withHost(host).withPort(port).withRuns(runs).withMaxParallel(maxParallel)
                .withWebhook(webhook).withWebDir(checkoutWeb()).withChildJvmArgs(jvmArgs), auth);
    }

    private static URI publicUrl(String v) {
        try {
            URI u = URI.create(v);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())))
                throw new IllegalArgumentException("--public-url must be an http(s) URL with a host (got " + v + ")");
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--public-url must be an http(s) URL with a host (got " + v + ")");
        }
    }

    private static String hostName(String v) {
        if (v.contains("/") || v.isBlank()) throw new IllegalArgumentException("--allowed-host takes a host name, e.g. trainwatch.lab.example (got " + v + ")");
        return v.trim().toLowerCase(java.util.Locale.ROOT);
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
