package trainwatch.http;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

import trainwatch.auth.AuthService;
import trainwatch.auth.Authenticator;
import trainwatch.auth.Caller;
import trainwatch.auth.Role;
import trainwatch.auth.Sessions;
import trainwatch.auth.Token;
import trainwatch.auth.TokenStore;
import trainwatch.json.Json;
import trainwatch.run.RunException;

/** /api/session, /api/login, /api/logout, /api/tokens, /api/audit (docs/api.md "Authentication"). */
final class AuthRoutes {
    private final AuthService auth;

    AuthRoutes(AuthService auth) {
        this.auth = auth;
    }

    /** Who this request is: the dashboard asks at start to know whether to show the login page. */
    record SessionView(String name, String role, String via, boolean authRequired) {}

    record LoginView(String name, String role, long expires) {}

    record LogoutView(boolean loggedOut) {}

    record TokenList(List<Token.View> tokens) {}

    /** The one time a token's secret is shown. */
    record CreatedToken(String name, String role, long created, String createdBy, String token) {}

    record Revoked(String revoked) {}

    record AuditView(List<JsonNode> entries) {}

    void session(Context ctx) {
        Caller c = ctx.attribute(AuthGuard.CALLER);
        boolean required = auth.authenticator.required();
        ctx.json(c == null ? new SessionView(null, null, null, required) : new SessionView(c.name(), c.role().wire(), c.via(), required));
    }

    void login(Context ctx) {
        String addr = ctx.req().getRemoteAddr();
        long wait = auth.throttle.retryAfterSeconds(addr);
        if (wait > 0) {
            ctx.header("Retry-After", String.valueOf(wait));
            throw RunException.of(RunException.Kind.TOO_MANY_REQUESTS, "token", "too many failed logins from " + addr + ": try again in " + wait + " s");
        }
        JsonNode body = Json.tree(ctx.body());
        String secret = body != null && body.path("token").isTextual() ? body.path("token").asText().trim() : null;
        if (secret == null || secret.isEmpty()) throw RunException.invalid("token", "is required: the token `token create` printed");
        Token t = auth.tokens().find(secret);
        if (t == null) {
            auth.throttle.failed(addr);
            throw RunException.of(RunException.Kind.UNAUTHORIZED, "token", "is not a valid token (unknown or revoked)");
        }
        auth.throttle.succeeded(addr);
        Sessions.Opened s = auth.authenticator.sessions().open(t);
        ctx.attribute(AuthGuard.CALLER, new Caller(t.name(), t.role(), "session"));
        ctx.attribute(AuthGuard.AUDIT_TARGET, t.name());
        ctx.header("Set-Cookie", cookie(s.id(), auth.authenticator.sessions().ttl().toSeconds()));
        ctx.json(new LoginView(t.name(), t.role().wire(), s.expiresMs()));
    }

    void logout(Context ctx) {
        auth.authenticator.sessions().close(ctx.cookie(Authenticator.COOKIE));
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.json(new LogoutView(true));
    }

    /** HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it), Secure behind https. */
    private String cookie(String value, long maxAgeSeconds) {
        return Authenticator.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (auth.settings().https() ? "; Secure" : "");
    }

    void tokens(Context ctx) {
        ctx.json(new TokenList(auth.tokens().list().stream().map(Token::view).toList()));
    }

    void createToken(Context ctx) {
        JsonNode body = Json.tree(ctx.body());
        if (body == null || !body.isObject()) throw RunException.invalid("", "body must be a JSON object {\"name\", \"role\"}");
        String name = body.path("name").asText(null);
        ctx.attribute(AuthGuard.AUDIT_TARGET, name);
        Role role;
        try {
            role = Role.parse(body.path("role").asText(null));
        } catch (IllegalArgumentException e) {
            throw RunException.invalid("role", "must be viewer, editor or admin (got " + trainwatch.http.Clip.of(String.valueOf(body.path("role").asText(null))) + ")");
        }
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}"))
            throw RunException.invalid("name", "must match [A-Za-z0-9._@-]{1,64} (got " + Clip.of(String.valueOf(name)) + ")");
        if (auth.tokens().named(name) != null) throw RunException.conflict("a token named " + name + " exists: revoke it first");
        Caller c = ctx.attribute(AuthGuard.CALLER);
        TokenStore.Created made;
        try {
            made = auth.tokens().create(name, role, c == null ? Caller.LOCAL : c.name());
        } catch (IllegalArgumentException e) {
            throw RunException.conflict(e.getMessage());
        }
        Token t = made.token();
        ctx.status(201).json(new CreatedToken(t.name(), t.role().wire(), t.created(), t.createdBy(), made.secret()));
    }

    void revokeToken(Context ctx) {
        String name = ctx.pathParam("name");
        if (!auth.tokens().revoke(name)) throw RunException.notFound("no token named " + Clip.of(name));
        ctx.json(new Revoked(name));
    }

    void audit(Context ctx) {
        int limit = ctx.queryParam("limit") == null ? 200 : ctx.queryParamAsClass("limit", Integer.class).get();
        if (limit < 1 || limit > 10_000) throw RunException.invalid("limit", "must be between 1 and 10000 (got " + limit + ")");
        ctx.json(new AuditView(auth.audit.newest(limit)));
    }
}
