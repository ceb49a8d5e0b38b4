package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import trainwatch.testkit.ServerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A check started from the run page shows its result the moment the live {@code check} message
 * arrives, with its real name, outcome and summary. The page's REST reload of the run is blocked
 * after the first load, so only the live message can bring the result.
 */
class CheckBrowserTest {

    @Test
    void a_check_started_on_a_run_page_shows_its_result_live_with_real_values() throws Exception {
        ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-web-check").resolve("runs")).start();
        Api api = new Api(server.url());
        try (Browser browser = new Browser()) {
            String id = api.createRun("""
                    {"name": "checked", "dataset": "spiral", "model": {"type": "mlp", "hidden": [8]}, "epochs": 20, "evalEvery": 10, "seed": 1}""");
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!api.get("api/runs/" + id).contains("\"status\":\"finished\"")) {
                if (System.nanoTime() > deadline) throw new AssertionError("run did not finish: " + api.get("api/runs/" + id));
                Thread.sleep(250); // polling a child process, not timing anything
            }
            browser.driver.get(server.url() + "#/run/" + id);
            browser.await("the live stream", d -> d.findElement(By.cssSelector(".live-indicator")).getText().equals("ended"));
            browser.js("""
                    const path = '/api/runs/' + arguments[0];
                    const real = window.fetch;
                    window.fetch = (u, init) => String(u).endsWith(path) ? Promise.reject(new Error('blocked by the test')) : real(u, init);""", id);

            browser.await("the gradient check button", d -> d.findElement(By.id("check-gradients"))).click();
            WebElement row;
            try {
                // a gradient check is its own JVM: minutes on a loaded 2-core machine
                row = new WebDriverWait(browser.driver, Duration.ofSeconds(300)).pollingEvery(Duration.ofMillis(250))
                        .ignoring(StaleElementReferenceException.class).until(d -> {
                            for (WebElement r : d.findElements(By.cssSelector("#checks tr[data-check='gradients']"))) {
                                // textContent: the page shows outcomes upper-cased by CSS, getText() would read "PASS"
                                String outcome = r.findElements(By.tagName("td")).get(1).getAttribute("textContent");
                                if (Set.of("pass", "warn", "fail").contains(outcome)) return r;
                            }
                            return null;
                        });
            } catch (TimeoutException e) {
                throw new AssertionError("no finished gradients row; the panel holds: " + browser.driver.findElement(By.id("checks")).getAttribute("innerHTML")
                        + "\nthe server has: " + api.get("api/runs/" + id), e);
            }
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertTrue(cells.get(0).getAttribute("textContent").equals("gradients"), cells.get(0).getAttribute("textContent"));
            String summary = cells.get(2).getAttribute("textContent");
            assertFalse(summary.isBlank() || summary.contains("undefined") || summary.contains("?"), "a real summary: " + summary);
            assertTrue(browser.driver.findElements(By.cssSelector("#checks tr[data-check='?']")).isEmpty(), "no row named '?'");
        } finally {
            server.close();
        }
    }
}
