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
 * ensemble; its results page shows the members and ensemble table, the members-added curve, and
 * (shapes are images) the validation images the ensemble fixed and did not fix, each one drawn;
 * the Ensembles page lists it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EnsembleBrowserTest {

    @Test
    void a_seeds_ensemble_made_from_a_run_page_shows_its_table() throws Exception {
        ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-web-ensemble").resolve("runs")).start();
        Api api = new Api(server.url());
        try (Browser browser = new Browser()) {
            String id = api.createRun("""
                    {"name": "seeded", "dataset": "shapes", "model": {"type": "mlp", "hidden": [16]}, "epochs": 1, "trainSize": 300,
                     "valSize": 300, "batchSize": 50, "evalEvery": 3, "seed": 1}""");
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

            // the image galleries: exactly the examples the result holds, each canvas really drawn
            String eid = browser.driver.getCurrentUrl().replaceAll(".*#/ensemble/", "");
            String detail = api.get("api/ensembles/" + eid);
            int fixed = count(detail, "fixed"), notFixed = count(detail, "not_fixed");
            assertTrue(fixed + notFixed > 0, "weak shapes models get some validation images wrong: " + detail);
            assertEquals(fixed, browser.driver.findElements(By.cssSelector("#ensemble-images .gallery.fixed canvas")).size(), "fixed images");
            assertEquals(notFixed, browser.driver.findElements(By.cssSelector("#ensemble-images .gallery.not-fixed canvas")).size(), "not fixed images");
            Object blank = browser.js("return [...document.querySelectorAll('#ensemble-images canvas')].filter((c) => {"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " for (let i = 0; i < d.length; i += 4) if (d[i] > 0) return false;"
                    + " return true; }).length;");
            assertEquals(0L, ((Number) blank).longValue(), "every gallery canvas has drawn pixels");
            String captions = browser.read("the image captions", By.id("ensemble-images"), WebElement::getText);
            assertTrue(captions.contains("fixed by the ensemble") && captions.contains("not fixed"), captions);

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

    /** How many examples the detail JSON's images.KEY list holds (read with the project's mapper). */
    private static int count(String detail, String key) throws Exception {
        return trainwatch.json.Json.MAPPER.readTree(detail).path("result").path("images").path(key).size();
    }
}
