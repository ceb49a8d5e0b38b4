package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrfTest {
    @Test
    void the_servers_own_origin_is_accepted_with_or_without_default_ports() {
        assertTrue(Csrf.sameOrigin("http://127.0.0.1:7070", "127.0.0.1:7070"));
        assertTrue(Csrf.sameOrigin("http://localhost", "localhost:80"));
        assertTrue(Csrf.sameOrigin("http://LOCALHOST:7070", "localhost:7070"));
    }

    @Test
    void another_site_or_port_or_a_null_origin_is_refused() {
        assertFalse(Csrf.sameOrigin("http://evil.example", "127.0.0.1:7070"));
        assertFalse(Csrf.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:7070"));
        assertFalse(Csrf.sameOrigin("null", "127.0.0.1:7070"));
        assertFalse(Csrf.sameOrigin("http://127.0.0.1:7070", null));
        assertFalse(Csrf.sameOrigin("::garbage::", "127.0.0.1:7070"));
    }
}
