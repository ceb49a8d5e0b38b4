package trainwatch.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A stored token: its name, role and the SHA-256 of the secret (never the secret itself).
 * {@code created} is epoch milliseconds; {@code createdBy} who made it ("cli:&lt;os user&gt;" or a token name).
 */
public record Token(String name, Role role, @JsonProperty("sha256") String sha256, long created, String createdBy) {
    public Token {
        if (!TokenStore.validName(name)) throw new IllegalArgumentException("token name must match " + TokenStore.NAME_RULE + " (got " + name + ")");
        if (role == null) throw new IllegalArgumentException("a token has a role");
        if (sha256 == null || sha256.length() != 64) throw new IllegalArgumentException("a token's sha256 is 64 hex digits");
    }

    /** What `token list` and GET /api/tokens show: everything but the hash. */
    public record View(String name, String role, long created, String createdBy) {}

    public View view() {
        return new View(name, role.wire(), created, createdBy);
    }
}
