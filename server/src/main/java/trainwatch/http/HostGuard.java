package trainwatch.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import trainwatch.run.Problem;

/**
 * DNS rebinding defence. A page on evil.example can re-point its own name at 127.0.0.1 and then
 * talk to us as a "same origin" (its Origin and Host both say evil.example), so on a server bound
 * to loopback every request, static files and WebSocket upgrades included, must name a loopback
 * host. A server bound elsewhere (--host 0.0.0.0, shared with a team) is reached under names we
 * cannot know, so any Host is fine there and the Origin rule of {@link Csrf} does the work.
 */
final class HostGuard extends Handler.Wrapper {
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}$");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (isLoopbackName(host)) return super.handle(request, response, callback);
        response.setStatus(403);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        String got = host == null ? "none" : Clip.of(host);
        String body = ErrorBodies.of(List.of(new Problem("Host", "must be this server's own (got " + got + ")")));
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** True when the server listens on loopback only (the default 127.0.0.1, localhost, ::1): then the guard applies. */
    static boolean boundToLoopback(String bindHost) {
        if (bindHost == null || bindHost.isBlank()) return false; // Jetty's default: every interface
        String h = bindHost.trim();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // Jetty will fail to bind it anyway
        }
    }

    /** A Host header naming this machine's loopback: 127.x.x.x, localhost or [::1], with any port. */
    static boolean isLoopbackName(String host) {
        if (host == null) return false;
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) return false;
            String rest = h.substring(end + 1);
            return (rest.isEmpty() || PORT.matcher(rest).matches()) && h.substring(1, end).equals("::1");
        }
        h = PORT.matcher(h).replaceFirst("");
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1); // "localhost." is the same name
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches();
    }
}
