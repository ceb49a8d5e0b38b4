package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import trainwatch.client.TrainwatchClient;
import trainwatch.testkit.ServerProcess;

/**
 * Issue 10 point 5 in the browser: a run sent by a remote trainer is marked on the runs page and on its page with
 * where it comes from, and Stop on its page reaches the trainer as a request it honours.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RemoteRunBrowserTest {
    static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        Path root = Files.createTempDirectory("tw-web-remote");
        server = new ServerProcess(root.resolve("runs")).start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void a_remote_run_is_marked_with_its_origin_and_stop_on_its_page_reaches_the_trainer() throws Exception {
        Path spool = Files.createTempDirectory("tw-web-remote-spool");
        try (TrainwatchClient client = TrainwatchClient.builder(server.url(), "remote-in-browser").clientName("browser-test-client")
                .spoolDir(spool).flushIntervalMs(50).start();
             Browser browser = new Browser()) {
            for (int s = 0; s < 20; s++) client.log(s, Map.of("loss", 1.0 / (s + 1)));
            assertTrue(client.awaitDelivered(60_000), "delivered: " + client.error());
            String id = client.runId();

            browser.driver.get(server.url() + "#/");
            String row = browser.await("the run's row with its remote tag", d -> {
                for (WebElement tr : d.findElements(By.cssSelector("tr[data-id='" + id + "']"))) {
                    var tags = tr.findElements(By.cssSelector(".tag-remote"));
                    if (!tags.isEmpty()) return tags.get(0).getText() + " | " + tags.get(0).getAttribute("title");
                }
                return null;
            });
            assertTrue(row.startsWith("remote"), row);
            assertTrue(row.contains("browser-test-client") && row.contains("127.0.0.1"), row);

            browser.driver.get(server.url() + "#/run/" + id);
            String origin = browser.await("the run page's origin", d -> {
                WebElement e = d.findElement(By.id("remote-origin"));
                return e.isDisplayed() && e.getText().startsWith("remote") ? e.getAttribute("title") : null;
            });
            assertTrue(origin.contains("browser-test-client"), origin);

            browser.js("window.confirm = () => true");
            browser.click("Stop", By.id("stop-run"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int step = 20;
            // the trainer keeps logging; the stop comes back with an acknowledgement
            while (!client.stopRequested() && System.nanoTime() < deadline) {
                client.log(step++, Map.of("loss", 1.0 / step));
                client.awaitDelivered(5_000);
            }
            assertTrue(client.stopRequested(), "the trainer was asked to stop");
            assertTrue(client.finish("stopped"), "the final status delivered: " + client.error());
            browser.await("the page to read stopped", d -> d.findElement(By.cssSelector(".title-row .status")).getText().equals("stopped") ? true : null);
            assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
        }
    }

    @Test
    void a_remote_run_with_its_clients_own_config_offers_no_checks_clone_or_seeds_and_says_why() throws Exception {
        Path spool = Files.createTempDirectory("tw-web-remote-spool");
        try (TrainwatchClient pytorch = TrainwatchClient.builder(server.url(), "pytorch-loop").config(Map.of("lr", 0.1, "momentum", 0.9))
                .spoolDir(spool).flushIntervalMs(50).start();
             TrainwatchClient trainer = TrainwatchClient.builder(server.url(), "trainwatch-config").config(Map.of("dataset", "spiral", "epochs", 2))
                .spoolDir(spool).flushIntervalMs(50).start();
             Browser browser = new Browser()) {
            for (TrainwatchClient c : new TrainwatchClient[] {pytorch, trainer}) {
                c.log(0, Map.of("loss", 1.0));
                assertTrue(c.awaitDelivered(60_000), "delivered: " + c.error());
            }
            browser.driver.get(server.url() + "#/run/" + pytorch.runId());
            String why = browser.await("the checks panel to say why it has no buttons", d -> {
                String msg = d.findElement(By.cssSelector("#checks .check-actions .small")).getText();
                return msg.contains("not a trainwatch config") ? msg : null;
            });
            assertTrue(why.contains("no model to train"), why);
            browser.await("check, clone and seeds hidden", d -> !d.findElement(By.id("check-overfit")).isDisplayed()
                    && !d.findElement(By.id("check-gradients")).isDisplayed() && !d.findElement(By.id("clone-run")).isDisplayed()
                    && !d.findElement(By.id("seeds-action")).isDisplayed() ? true : null);

            browser.driver.get(server.url() + "#/run/" + trainer.runId());
            browser.await("a remote run with a trainwatch config keeps them", d -> d.findElement(By.cssSelector(".run-name")).getText().equals("trainwatch-config")
                    && d.findElement(By.id("check-overfit")).isDisplayed() && d.findElement(By.id("clone-run")).isDisplayed()
                    && d.findElement(By.id("seeds-action")).isDisplayed() ? true : null);
            assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
        }
    }
}
