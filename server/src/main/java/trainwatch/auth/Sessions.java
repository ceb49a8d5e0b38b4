package trainwatch.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions made by POST /api/login, in memory (a server restart logs everyone out). Only the
 * SHA-256 of a session id is kept. A session names its token and that token's hash: each lookup checks
 * the token still exists unchanged, so revoking it (from the dashboard or the CLI) ends its sessions at
 * once, and a new token of the same name does not revive them.
 */
public final class Sessions {
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);
    static final String PREFIX = "tws_";

    private final TokenStore tokens;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();

    private record Entry(String tokenName, String tokenSha256, long expiresMs) {}

    /** A new session: the cookie value (shown once) and when it expires. */
    public record Opened(String id, long expiresMs) {}

    public Sessions(TokenStore tokens, Clock clock, Duration ttl) {
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public Opened open(Token token) {
        String id = Secrets.random(PREFIX);
        long expires = clock.millis() + ttl.toMillis();
        byHash.put(Secrets.sha256Hex(id), new Entry(token.name(), token.sha256(), expires));
        if (byHash.size() % 256 == 0) sweep();
        return new Opened(id, expires);
    }

    /** The live token behind this session id, or null (unknown, expired, or its token revoked). */
    public Token find(String id) {
        if (id == null || !id.startsWith(PREFIX)) return null;
        String key = Secrets.sha256Hex(id);
        Entry e = byHash.get(key);
        if (e == null) return null;
        if (e.expiresMs() <= clock.millis()) {
            byHash.remove(key);
            return null;
        }
        Token t = tokens.named(e.tokenName());
        if (t == null || !t.sha256().equals(e.tokenSha256())) {
            byHash.remove(key);
            return null;
        }
        return t;
    }

    public void close(String id) {
        if (id != null) byHash.remove(Secrets.sha256Hex(id));
    }

    private void sweep() {
        long now = clock.millis();
        byHash.values().removeIf(e -> e.expiresMs() <= now);
    }
}
