package trainwatch.auth;

import java.nio.file.Path;
import java.time.Clock;

/** Everything the web layer needs for authentication (docs/auth.md): who is calling, login throttling, the audit log. */
public final class AuthService {
    public final Authenticator authenticator;
    public final LoginThrottle throttle;
    public final AuditLog audit;

    public AuthService(Authenticator authenticator, LoginThrottle throttle, AuditLog audit) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.audit = audit;
    }

    public static AuthService create(Path runsRoot, AuthSettings settings, boolean loopbackBind, Clock clock) {
        return new AuthService(Authenticator.create(runsRoot, settings, loopbackBind, clock), new LoginThrottle(clock), new AuditLog(runsRoot, clock));
    }

    public TokenStore tokens() {
        return authenticator.tokens();
    }

    /** Names the Host header may carry besides loopback names and IP literals: --public-url's host and each --allowed-host. */
    public java.util.List<String> hostNames() {
        java.util.List<String> out = new java.util.ArrayList<>(settings().allowedHosts());
        if (settings().publicUrl() != null) out.add(settings().publicUrl().getHost());
        return out;
    }

    public AuthSettings settings() {
        return authenticator.settings();
    }
}
