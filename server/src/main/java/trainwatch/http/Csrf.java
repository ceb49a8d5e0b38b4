package trainwatch.http;

import java.net.URI;
import java.util.Locale;

import io.javalin.http.Context;

import trainwatch.run.RunException;

/**
 * Cross-site protection (docs/api.md): a state-changing request must be JSON (a form on
 * another site cannot send that without a CORS preflight this server never grants) and
 * carry no Origin or our own; a WebSocket upgrade must carry no Origin or our own.
 * "Our own" is judged against the request's Host, which {@link HostGuard} pins to a loopback
 * name on a loopback server (else a rebound evil.example would count as our own).
 */
final class Csrf {
    private Csrf() {}

    static void checkStateChange(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) return;
        String type = ctx.header("Content-Type");
        // a checkpoint upload is binary; a PUT cannot be sent from another site without a preflight, which is never granted
        boolean binaryPut = method.equals("PUT") && type != null && type.toLowerCase(Locale.ROOT).trim().startsWith("application/octet-stream");
        if (binaryPut) {
            checkOrigin(ctx.header("Origin"), ctx.header("Host"));
            return;
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).trim().startsWith("application/json"))
            throw RunException.of(RunException.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type", "must be application/json for " + method + " requests (got " + (type == null ? "none" : type) + ")");
        checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    }

    static void checkOrigin(String origin, String host) {
        if (origin == null) return;
        if (!sameOrigin(origin, host)) throw RunException.of(RunException.Kind.FORBIDDEN, "Origin", "must be this server's own (got " + origin + ")");
    }

    /** Origin "http://h:p" against the Host header "h:p" (default ports made explicit). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) return false;
        try {
            URI o = URI.create(origin.trim());
            if (o.getHost() == null || o.getScheme() == null) return false;
            int port = o.getPort() != -1 ? o.getPort() : o.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            URI h = URI.create("http://" + host.trim());
            if (h.getHost() == null) return false;
            int hostPort = h.getPort() != -1 ? h.getPort() : 80;
            return o.getHost().equalsIgnoreCase(h.getHost()) && port == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
