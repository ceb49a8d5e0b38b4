package trainwatch.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import trainwatch.run.Problem;

/**
 * DNS rebinding defence, on every server. A page on evil.example can re-point its own name at our
 * address and then talk to us as a "same origin" (its Origin and Host both say evil.example), so
 * every request, static files and WebSocket upgrades included, must name this server in its Host:
 * - bound to loopback: a loopback name (127.x.x.x, localhost, [::1]);
 * - bound elsewhere: a loopback name, an IP literal (a rebinding page always reaches us under a
 *   DNS name, never an address: an address in Host means the page really is this server), the
 *   bound address, or a name given with --public-url / --allowed-host.
 */
final class HostGuard extends Handler.Wrapper {
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}$");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final boolean loopbackOnly;
    private final Set<String> names;

    /** A guard for a server bound to {@code bindHost}, reached also under {@code names} (host names, no ports). */
    HostGuard(String bindHost, java.util.Collection<String> names) {
        this.loopbackOnly = boundToLoopback(bindHost);
        Set<String> n = new HashSet<>();
        for (String name : names) n.add(bare(name));
        if (bindHost != null && !bindHost.isBlank()) n.add(bare(bindHost));
        this.names = Set.copyOf(n);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (allowed(host)) return super.handle(request, response, callback);
        response.setStatus(403);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        String got = host == null ? "none" : Clip.of(host);
        String body = ErrorBodies.of(List.of(new Problem("Host", "must be this server's own (got " + got + ")"
                + (loopbackOnly ? "" : ": if that is its name, start it with --allowed-host NAME or --public-url URL"))));
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    boolean allowed(String host) {
        if (isLoopbackName(host)) return true;
        if (loopbackOnly || host == null) return false;
        String h = bare(host);
        return !h.isEmpty() && (names.contains(h) || isIpLiteral(h));
    }

    /** "Name:port", "[v6]:port" or "name." -> the lower-case name or address alone. */
    static String bare(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(1, end);
        }
        if (h.indexOf(':') != h.lastIndexOf(':')) return h; // a bare IPv6 address
        h = PORT.matcher(h).replaceFirst("");
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    static boolean isIpLiteral(String h) {
        if (IPV4.matcher(h).matches()) return true;
        return h.contains(":") && h.matches("[0-9a-f:.]+");
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
