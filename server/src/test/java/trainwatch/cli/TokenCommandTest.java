package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.auth.TokenStore;

/** `token create|list|revoke` and `serve` refusing to listen beyond loopback without a token. */
class TokenCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream realOut, realErr;

    @BeforeEach
    void capture() {
        realOut = System.out;
        realErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private String out() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    private String err() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    @Test
    void create_prints_the_secret_alone_once_list_shows_names_and_revoke_removes(@TempDir Path runs) throws Exception {
        assertEquals(0, TokenCommand.run(new String[] {"create", "alice", "--role", "editor", "--runs", runs.toString()}));
        String secret = out().trim();
        assertTrue(secret.matches("tw_[A-Za-z0-9_-]{43}"), "stdout is the token alone: " + secret);
        assertTrue(err().contains("shown this once"));
        assertTrue(new TokenStore(runs, Clock.systemUTC()).find(secret) != null);
        assertFalse(Files.readString(runs.resolve(".auth/tokens.json")).contains(secret), "only its hash is stored");
        assertTrue(Files.readString(runs.resolve(".audit/audit.jsonl")).contains("token.create"));

        assertEquals(0, TokenCommand.run(new String[] {"list", "--runs", runs.toString()}));
        String list = out();
        assertTrue(list.contains("alice") && list.contains("editor") && !list.contains(secret), list);

        assertEquals(2, TokenCommand.run(new String[] {"create", "bob", "--role", "root", "--runs", runs.toString()}));
        assertTrue(err().contains("role must be viewer, editor or admin"));
        assertEquals(2, TokenCommand.run(new String[] {"create", "alice", "--role", "viewer", "--runs", runs.toString()}), "the name is taken");
        assertTrue(err().contains("a token named alice exists"));
        err();
        assertEquals(0, TokenCommand.run(new String[] {"revoke", "alice", "--runs", runs.toString()}));
        assertEquals(null, new TokenStore(runs, Clock.systemUTC()).find(secret));
        assertEquals(1, TokenCommand.run(new String[] {"revoke", "alice", "--runs", runs.toString()}));
    }

    @Test
    void serve_beyond_loopback_without_a_token_exits_2_with_one_line(@TempDir Path runs) {
        int code = ServeCommand.run(new String[] {"--host", "0.0.0.0", "--port", "0", "--runs", runs.toString()});
        assertEquals(2, code);
        String e = err().trim();
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertTrue(e.startsWith("serve: refusing to listen beyond loopback without authentication") && e.contains("token create") && e.contains("--no-auth"), e);
        assertFalse(Files.exists(runs.resolve(".auth").resolve("tokens.json")));
    }

    @Test
    void serve_flags_for_auth_are_read_and_checked() {
        ServeCommand.Parsed p = ServeCommand.parseAll(new String[] {"--host", "0.0.0.0", "--public-url", "https://tw.lab.example",
                "--allowed-host", "TW", "--no-auth", "--auth-proxy-header", "X-Forwarded-Email", "--trusted-proxy", "10.0.0.5", "--proxy-role", "editor"});
        assertTrue(p.auth().noAuth());
        assertTrue(p.auth().https());
        assertEquals(java.util.List.of("tw"), p.auth().allowedHosts());
        assertEquals("X-Forwarded-Email", p.auth().proxyHeader());
        assertEquals(java.util.List.of("10.0.0.5"), p.auth().trustedProxies());
        assertEquals("0.0.0.0", p.options().host());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServeCommand.parseAll(new String[] {"--auth-proxy-header", "X-Forwarded-Email"}));
        assertTrue(e.getMessage().contains("--trusted-proxy"), e.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServeCommand.parseAll(new String[] {"--public-url", "tw.lab.example"})).getMessage().contains("--public-url"));
    }
}
