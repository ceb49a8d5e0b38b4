package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import trainwatch.testkit.ServerProcess;

/**
 * Issue 16 points 5, 11 and 12 in the browser: a stopped run's page offers Resume, the resumed run's page says
 * where it resumed and shows its disk use, and the runs page shows the disk use of runs/ and the free space.
 */
class ResumeBrowserTest {
    static final String SPIRAL = "{\"dataset\":\"spiral\",\"model\":{\"type\":\"mlp\",\"hidden\":[16]},\"batchSize\":30,"
            + "\"epochs\":100000,\"maxIterations\":5000000,\"evalEvery\":50}"; // runs until the test stops it: never finished before the stop lands
    static ServerProcess server;
    static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        Path root = Files.createTempDirectory("tw-web-resume");
        server = new ServerProcess(root.resolve("runs")).start();
        api = new Api(server.url());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void a_stopped_run_is_resumed_from_its_page_which_then_marks_where() throws Exception {
        String id = api.createRun(SPIRAL);
        try (Browser browser = new Browser()) {
            browser.driver.get(server.url() + "#/run/" + id);
            browser.await("some steps", d -> stepOf(id) > 100);
            api.stopQuietly(id);
            browser.await("the Resume button of the stopped run", d -> d.findElement(By.id("resume-run")).isDisplayed());

            browser.driver.findElement(By.id("resume-run")).click();

            browser.await("the page to say where it resumed", d -> d.findElement(By.id("resumed-at")).getText().startsWith("resumed at step "));
            browser.await("Resume to go away while it trains", d -> !d.findElement(By.id("resume-run")).isDisplayed());
            // read in one script: the stats re-render every frame while the run trains
            String disk = browser.await("the run's disk use", d -> (String) browser.js(
                    "return [...document.querySelectorAll('.stat')].map(e => e.textContent).find(t => t.startsWith('disk')) || null"));
            assertTrue(disk.matches("disk[0-9.]+ (B|KB|MB)"), disk);

            browser.driver.get(server.url() + "#/");
            String line = browser.await("the disk line", d -> {
                String t = d.findElement(By.id("disk-line")).getText();
                return t.contains("free") ? t : null;
            });
            assertTrue(line.matches("runs/ [0-9.]+ (B|KB|MB|GB) · [0-9.]+ (MB|GB|TB) free.*"), line);
        } finally {
            api.stopQuietly(id);
        }
    }

    private static long stepOf(String id) {
        try {
            String body = api.get("api/runs/" + id);
            var m = java.util.regex.Pattern.compile("\"progress\":\\{\"step\":(-?\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
