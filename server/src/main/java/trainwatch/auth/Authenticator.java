package trainwatch.auth;

import java.time.Clock;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Turns what a request carries (Authorization header, session cookie, a trusted proxy's header) into a
 * {@link Caller}, and decides whether authentication is on at all: it is off only with --no-auth, or on a
 * loopback-only server while no token exists (one person on a laptop, as before tokens existed). The
 * token file is re-checked on every request, so creating the first token turns it on at once.
 */
public final class Authenticator {
    public static final String COOKIE = "tw_session";

    private final TokenStore tokens;
    private final Sessions sessions;
    private final AuthSettings settings;
    private final boolean loopbackBind;

    /** What a request proved. {@code caller} null = anonymous; {@code badCredentials}: it carried a token or session that is not (or no longer) valid. */
    public record Result(Caller caller, boolean badCredentials) {}

    public Authenticator(TokenStore tokens, Sessions sessions, AuthSettings settings, boolean loopbackBind) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.settings = settings;
        this.loopbackBind = loopbackBind;
    }

    public static Authenticator create(java.nio.file.Path runsRoot, AuthSettings settings, boolean loopbackBind, Clock clock) {
        TokenStore t = new TokenStore(runsRoot, clock);
        return new Authenticator(t, new Sessions(t, clock, Sessions.DEFAULT_TTL), settings, loopbackBind);
    }

    public TokenStore tokens() {
        return tokens;
    }

    public Sessions sessions() {
        return sessions;
    }

    public AuthSettings settings() {
        return settings;
    }

    /**
     * Why a server must not start with these settings, or null: bound beyond loopback with neither a token
     * nor an explicit --no-auth, anyone on the network could start, stop and delete runs.
     */
    public static String startRefusal(boolean loopbackBind, AuthSettings settings, TokenStore tokens) {
        if (loopbackBind || settings.noAuth() || settings.proxyHeader() != null || tokens.any()) return null;
        return "refusing to listen beyond loopback without authentication: create a token first (java -jar trainwatch.jar token create NAME --role admin --runs "
                + tokens.file().getParent().getParent() + "), or pass --no-auth to let everyone who can reach it start, stop and delete runs";
    }

    /** True when requests must prove who they are. */
    public boolean required() {
        if (settings.noAuth()) return false;
        return !loopbackBind || settings.proxyHeader() != null || tokens.any();
    }

    /**
     * @param authorization the Authorization header or null
     * @param sessionId     the session cookie or null
     * @param remoteAddr    the TCP peer's address (a proxy header counts only from a trusted proxy)
     * @param header        reads a request header by name
     */
    public Result resolve(String authorization, String sessionId, String remoteAddr, UnaryOperator<String> header) {
        if (!required()) return new Result(Caller.local(), false);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Token t = tokens.find(authorization.substring(7).trim());
            return t == null ? new Result(null, true) : new Result(new Caller(t.name(), t.role(), "token"), false);
        }
        if (settings.proxyHeader() != null && remoteAddr != null && settings.trustedProxies().contains(normalize(remoteAddr))) {
            String user = header.apply(settings.proxyHeader());
            if (user != null && !user.isBlank()) {
                String name = user.trim();
                Token same = TokenStore.validName(name) ? tokens.named(name) : null;
                return new Result(new Caller(name, same != null ? same.role() : settings.proxyRole(), "proxy"), false);
            }
        }
        if (sessionId != null && !sessionId.isEmpty()) {
            Token t = sessions.find(sessionId);
            return t == null ? new Result(null, true) : new Result(new Caller(t.name(), t.role(), "session"), false);
        }
        return new Result(null, false);
    }

    private static String normalize(String addr) {
        String a = addr.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        return a;
    }
}
