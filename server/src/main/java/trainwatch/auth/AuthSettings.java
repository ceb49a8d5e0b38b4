package trainwatch.auth;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The serve flags about authentication (docs/auth.md): --no-auth, --public-url, --allowed-host,
 * --auth-proxy-header with --trusted-proxy (and --proxy-role for proxy users without a token of their name).
 */
public record AuthSettings(boolean noAuth, URI publicUrl, List<String> allowedHosts, String proxyHeader, List<String> trustedProxies,
                           Role proxyRole) {
    public AuthSettings {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        if (proxyRole == null) proxyRole = Role.VIEWER;
        if (proxyHeader != null && trustedProxies.isEmpty())
            throw new IllegalArgumentException("--auth-proxy-header needs --trusted-proxy ADDR (the proxy's address): without it anyone could send the header");
        if (publicUrl != null && (publicUrl.getHost() == null || !List.of("http", "https").contains(String.valueOf(publicUrl.getScheme()).toLowerCase(Locale.ROOT))))
            throw new IllegalArgumentException("--public-url must be an http(s) URL with a host (got " + publicUrl + ")");
    }

    /** No flags: tokens when they exist, loopback only otherwise. */
    public static AuthSettings defaults() {
        return new AuthSettings(false, null, List.of(), null, List.of(), Role.VIEWER);
    }

    public AuthSettings withNoAuth(boolean v) {
        return new AuthSettings(v, publicUrl, allowedHosts, proxyHeader, trustedProxies, proxyRole);
    }

    public AuthSettings withPublicUrl(URI v) {
        return new AuthSettings(noAuth, v, allowedHosts, proxyHeader, trustedProxies, proxyRole);
    }

    public AuthSettings withAllowedHosts(List<String> v) {
        return new AuthSettings(noAuth, publicUrl, v, proxyHeader, trustedProxies, proxyRole);
    }

    public AuthSettings withProxy(String header, List<String> trusted, Role role) {
        return new AuthSettings(noAuth, publicUrl, allowedHosts, header, trusted, role);
    }

    /** Cookies get Secure when the dashboard is reached over https. */
    public boolean https() {
        return publicUrl != null && "https".equalsIgnoreCase(publicUrl.getScheme());
    }
}
