package trainwatch.auth;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a token may do (docs/auth.md): each role may do everything the one before it may. */
public enum Role {
    /** Reads everything: runs, sweeps, ensembles, logs, live streams. */
    VIEWER,
    /** Also starts, stops, clones, resumes, archives and deletes runs, sweeps, checks and ensembles; ingests. */
    EDITOR,
    /** Also manages tokens and reads the audit log. */
    ADMIN;

    public boolean atLeast(Role other) {
        return ordinal() >= other.ordinal();
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "viewer" | "editor" | "admin", or an IllegalArgumentException naming them. */
    @JsonCreator
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) if (r.wire().equals(s.trim().toLowerCase(Locale.ROOT))) return r;
        }
        throw new IllegalArgumentException("role must be viewer, editor or admin (got " + s + ")");
    }
}
