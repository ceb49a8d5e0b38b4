package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import trainwatch.http.TrainwatchServer;

class ServeCommandTest {
    @Test
    void it_binds_loopback_on_7070_by_default_with_at_least_one_training_slot() {
        TrainwatchServer.Options o = ServeCommand.parse(new String[0]);
        assertEquals("127.0.0.1", o.host());
        assertEquals(7070, o.port());
        assertEquals(Path.of("runs"), o.runs());
        assertTrue(o.maxParallel() >= 1);
        assertEquals(null, o.webhook());
    }

    @Test
    void every_option_is_read() {
        TrainwatchServer.Options o = ServeCommand.parse(new String[] {"--port", "0", "--host", "0.0.0.0", "--runs", "/tmp/r",
                "--max-parallel", "3", "--webhook", "http://127.0.0.1:9/hook", "--child-xmx", "2g"});
        assertEquals(0, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals(Path.of("/tmp/r"), o.runs());
        assertEquals(3, o.maxParallel());
        assertEquals("http://127.0.0.1:9/hook", o.webhook().toString());
        assertEquals(List.of("-Xmx2g"), o.childJvmArgs());
    }

    /** Maven runs this module's tests from server/, where the checkout's web/ is ../web: Jetty refuses such a path as an alias. */
    @Test
    void started_from_the_server_directory_it_serves_the_checkouts_dashboard_at_the_root() throws Exception {
        Path runs = Files.createTempDirectory("tw-serve");
        TrainwatchServer.Options parsed = ServeCommand.parse(new String[] {"--port", "0", "--runs", runs.toString()});
        assertTrue(Files.isRegularFile(Path.of("..", "web", "index.html")) && !Files.exists(Path.of("web", "index.html")),
                "the test runs from server/ next to ../web");
        try (TrainwatchServer server = new TrainwatchServer(parsed).start()) {
            HttpResponse<String> res = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), "GET / -> " + res.statusCode());
            assertEquals(Files.readString(Path.of("..", "web", "index.html")), res.body());
        }
    }

    @Test
    void bad_options_get_a_clear_message_and_exit_code_2() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--port", "x"})).getMessage().contains("--port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--max-parallel", "0"})).getMessage()
                .contains("between 1 and"));
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--webhook", "ftp://x"}));
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--host"}));
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--bogus"}));
        assertEquals(2, ServeCommand.run(new String[] {"--port", "99999"}));
    }
}
