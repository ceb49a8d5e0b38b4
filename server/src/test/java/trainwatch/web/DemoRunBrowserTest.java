package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

import trainwatch.testkit.ServerProcess;

/** A newcomer on an empty dashboard: one click starts the shapes CNN demo and its curves and filters appear. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class DemoRunBrowserTest {

    @Test
    void an_empty_dashboard_offers_a_one_click_demo_that_shows_live_curves_and_filters() throws Exception {
        ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-web-demo").resolve("runs")).start();
        Api api = new Api(server.url());
        String id = null;
        try (Browser browser = new Browser()) {
            browser.driver.get(server.url());
            browser.click("the empty state's demo button", By.id("demo-run"));
            browser.await("the demo's run page", d -> d.getCurrentUrl().contains("#/run/"));
            id = browser.driver.getCurrentUrl().replaceAll(".*#/run/", "");
            browser.await("live loss points", d -> ReconnectBrowserTest.step(browser) > 0);
            browser.await("a filter snapshot", d -> d.findElement(By.id("filter-grid")).getAttribute("data-step") != null);
            String summary = browser.await("the config summary names shapes, cnn and adam", d -> {
                String t = d.findElement(By.cssSelector(".config-summary")).getText();
                return t.contains("shapes") && t.contains("cnn") && t.contains("adam") ? t : null;
            });
            assertTrue(summary.contains("shapes") && summary.contains("cnn") && summary.contains("adam"), summary);
        } finally {
            if (id != null) api.stopQuietly(id);
            server.close();
        }
    }
}
