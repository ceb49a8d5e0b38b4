package trainwatch.auth;

/** What a route asks of its caller (one line per route in {@link AccessRules}). */
public enum Need {
    /** Anyone, even on a server with tokens: the login route, the caller's own identity. */
    PUBLIC(null),
    VIEWER(Role.VIEWER),
    EDITOR(Role.EDITOR),
    ADMIN(Role.ADMIN),
    /**
     * An ingest write: an editor (token, session or proxy) or else the run's own ingest key, which the
     * ingest service checks itself; a caller with neither is refused there (401/403), never let in.
     */
    INGEST(Role.EDITOR),
    /**
     * A read for a trainer elsewhere (a checkpoint download): a viewer (or the local user of a server without
     * tokens), or else the run's own ingest key, which the route checks itself.
     */
    INGEST_READ(Role.VIEWER);

    /** The least role that passes without further checks; null for PUBLIC. */
    public final Role role;

    Need(Role role) {
        this.role = role;
    }
}
