package trainwatch.http;

import io.javalin.http.Context;

/**
 * Who made a request, for notes, audit lines and run owners. The auth layer (docs/auth.md) sets the
 * attribute from the token, session or trusted proxy header; a loopback server without tokens has
 * one user, {@link #LOCAL}.
 */
public final class Who {
    /** The request attribute the auth layer sets to the caller's name. */
    public static final String ATTRIBUTE = "trainwatch.who";
    public static final String LOCAL = "local";

    private Who() {}

    public static String of(Context ctx) {
        Object name = ctx.attribute(ATTRIBUTE);
        return name == null ? LOCAL : name.toString();
    }
}
