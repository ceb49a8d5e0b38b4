package trainwatch.auth;

/**
 * Who sent a request and what they may do. {@code via}: "token" (Authorization: Bearer), "session"
 * (the login cookie), "proxy" (a trusted SSO proxy's header), "local" (no authentication configured:
 * a loopback server without tokens, or --no-auth).
 */
public record Caller(String name, Role role, String via) {
    public static final String LOCAL = "local";

    public Caller {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a caller has a name");
        if (role == null) throw new IllegalArgumentException("a caller has a role");
    }

    /** Everyone when authentication is off: the one local user, allowed everything (as before tokens existed). */
    public static Caller local() {
        return new Caller(LOCAL, Role.ADMIN, "local");
    }

    /** True when the caller proved who they are (not the implicit local user). */
    public boolean authenticated() {
        return !via.equals("local");
    }
}
