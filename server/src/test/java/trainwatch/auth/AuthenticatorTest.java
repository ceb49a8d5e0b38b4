package trainwatch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a request is: the SSO proxy header counts only from a trusted proxy; loopback without tokens is the local user. */
class AuthenticatorTest {
    @Test
    void the_proxy_header_is_trusted_only_from_the_trusted_proxy(@TempDir Path runs) {
        AuthSettings s = AuthSettings.defaults().withProxy("X-Forwarded-Email", List.of("10.0.0.5"), Role.VIEWER);
        Authenticator a = Authenticator.create(runs, s, false, Clock.systemUTC());
        a.tokens().create("boss@lab.example", Role.ADMIN, "test");
        Map<String, String> h = Map.of("X-Forwarded-Email", "ann@lab.example");
        Caller ann = a.resolve(null, null, "10.0.0.5", h::get).caller();
        assertEquals(new Caller("ann@lab.example", Role.VIEWER, "proxy"), ann);
        assertNull(a.resolve(null, null, "10.0.0.6", h::get).caller(), "the header from anyone else is ignored");
        Map<String, String> boss = Map.of("X-Forwarded-Email", "boss@lab.example");
        assertEquals(Role.ADMIN, a.resolve(null, null, "10.0.0.5", boss::get).caller().role(), "a token of the same name gives its role");
        assertTrue(a.required());
    }

    @Test
    void loopback_without_tokens_is_the_local_user_until_the_first_token_exists(@TempDir Path runs) {
        Authenticator a = Authenticator.create(runs, AuthSettings.defaults(), true, Clock.systemUTC());
        assertFalse(a.required());
        assertEquals(Caller.local(), a.resolve(null, null, "127.0.0.1", n -> null).caller());
        a.tokens().create("first", Role.ADMIN, "test");
        assertTrue(a.required(), "creating the first token turns sign-in on");
        assertNull(a.resolve(null, null, "127.0.0.1", n -> null).caller());
    }
}
