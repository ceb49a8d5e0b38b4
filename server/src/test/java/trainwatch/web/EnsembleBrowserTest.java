package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import trainwatch.testkit.ServerProcess;

/**
 * Issue 12: "repeat with N seeds" on a run page starts N runs differing only in seed, then their
 * ensemble; its results page shows the members and ensemble table, and the Ensembles page lists it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EnsembleBrowserTest {

    @Test
    void a_seeds_ensemble_made_from_a_run_page_shows_its_table() throws Exception {
        ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-web-ensemble").resolve("runs")).start();
        Api api = new Api(server.url());
        try (Browser browser = new Browser()) {
            String id = api.createRun("""
                    {"name": "seeded", "dataset": "spiral", "model": {"type": "mlp", "hidden": [8]}, "epochs": 20, "evalEvery": 10, "seed": 1}""");
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!api.get("api/runs/" + id).contains("\"status\":\"finished\"")) {
                if (System.nanoTime() > deadline) throw new AssertionError("run did not finish: " + api.get("api/runs/" + id));
                Thread.sleep(250); // polling a child process, not timing anything
            }
            browser.driver.get(server.url() + "#/run/" + id);
            browser.await("the seeds control", d -> d.findElement(By.id("seeds-count")));
            browser.js("document.getElementById('seeds-count').value = '2';");
            browser.click("repeat with seeds", By.id("repeat-seeds"));
            browser.await("the ensemble's page", d -> d.getCurrentUrl().contains("#/ensemble/"));

            List<WebElement> rows;
            try {
                // two trainer JVMs one after another, then the evaluation JVM: minutes on a loaded 2-core machine
                rows = new WebDriverWait(browser.driver, Duration.ofSeconds(420)).pollingEvery(Duration.ofMillis(500))
                        .ignoring(StaleElementReferenceException.class).until(d -> {
                            List<WebElement> r = d.findElements(By.cssSelector("#ensemble-result tbody tr"));
                            return r.size() >= 3 ? r : null;
                        });
            } catch (TimeoutException e) {
                throw new AssertionError("no ensemble table; the page shows: " + browser.driver.findElement(By.id("page")).getText()
                        + "\nthe server has: " + api.get("api/ensembles"), e);
            }
            assertEquals(3, rows.size(), "two members and the ensemble");
            assertTrue(rows.get(0).getText().contains("seeded seed 2"), rows.get(0).getText());
            assertTrue(rows.get(1).getText().contains("seeded seed 3"), rows.get(1).getText());
            String ensemble = browser.read("the ensemble row", By.cssSelector("#ensemble-result tr.ensemble-row"), WebElement::getText);
            assertTrue(ensemble.matches("(?s)ensemble \\(mean of softmax\\).*\\d+(\\.\\d+)?%.*"), ensemble);
            assertEquals("finished", browser.read("status", By.id("ensemble-status"), WebElement::getText));
            assertEquals(2, browser.driver.findElements(By.cssSelector("#ensemble-curve circle")).size(), "the members-added curve");

            browser.driver.get(server.url() + "#/ensembles");
            String listed = browser.await("the ensembles list", d -> {
                List<WebElement> r = d.findElements(By.cssSelector("#ensemble-list tbody tr"));
                return r.isEmpty() ? null : r.get(0).getText();
            });
            assertTrue(listed.contains("finished") && listed.contains("seeds"), listed);
            assertEquals(List.of(), browser.consoleErrors());
            String list = api.get("api/ensembles");
            assertTrue(list.contains("\"status\":\"finished\""), list);
        } finally {
            server.close();
        }
    }
}
