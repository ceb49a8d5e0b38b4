package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import trainwatch.testkit.ServerProcess;

/** The dashboard in real headless Chromium against the real server and real trainer processes. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class DashboardBrowserTest {
    static final String XSS = "<img src=x onerror=alert(1)>";

    static ServerProcess server;
    static Api api;
    static final List<String> started = new ArrayList<>();
    Browser browser;

    @BeforeAll
    static void startServer() throws Exception {
        Path root = Files.createTempDirectory("tw-web");
        server = new ServerProcess(root.resolve("runs")).start();
        api = new Api(server.url());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = new Browser();
    }

    /** Runs execute one at a time: stop this test's leftovers so the next test's run is not queued behind them. */
    @AfterEach
    void closeBrowserAndStopRuns() {
        browser.close();
        for (String id : started) api.stopQuietly(id);
        started.clear();
    }

    String create(String config) throws Exception {
        String id = api.createRun(config);
        started.add(id);
        return id;
    }

    int attrInt(String css, String attr) {
        Object v = browser.js("const e = document.querySelector(arguments[0]); return e ? e.dataset[arguments[1]] || '0' : '0';", css, attr);
        return (int) Double.parseDouble(String.valueOf(v));
    }

    /** Sets a form field inside one wait, so a form re-rendered meanwhile is simply filled again. */
    void fill(String field, String value) {
        browser.await("the " + field + " field set to '" + value + "'", d -> {
            WebElement input = d.findElement(By.cssSelector("#run-form [data-field='" + field + "']"));
            if (input.getTagName().equals("select")) new Select(input).selectByValue(value);
            else {
                input.clear();
                input.sendKeys(value);
            }
            return value.equals(input.getAttribute("value"));
        });
    }

    @Test
    void a_spiral_run_started_from_the_form_gains_loss_points_while_it_trains() {
        browser.driver.get(server.url());
        browser.click("New run button", By.id("new-run"));
        fill("name", "spiral-from-form");
        fill("dataset", "spiral");
        fill("model.type", "mlp");
        fill("model.hidden", "32");
        fill("optimizer.type", "sgd");
        fill("optimizer.lr", "0.5");
        fill("schedule.type", "constant");
        fill("batchSize", "100");
        fill("epochs", String.valueOf(Configs.LONG_EPOCHS)); // 300k steps: still running whenever the test looks
        fill("trainSize", "");
        fill("valSize", "");
        browser.click("Start", By.id("start-run"));

        browser.await("the run page opens", d -> d.getCurrentUrl().contains("#/run/"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*#/run/", "");
        started.add(id);
        browser.await("loss points appear", d -> attrInt("#chart-loss", "points") > 0);
        int first = attrInt("#chart-loss", "lastStep");
        browser.await("the loss chart keeps gaining points", d -> attrInt("#chart-loss", "lastStep") > first + 20);
        browser.await("the live indicator says live", d -> d.findElement(By.id("live-indicator")).getText().equals("live"));

        // spiral records no filters: one line of note, no empty canvas or useless scrubber
        browser.await("the filters panel says the data are not images",
                d -> d.findElement(By.id("filters")).getText().contains("not image data"));
        assertTrue(!browser.read("filter grid", By.id("filter-grid"), WebElement::isDisplayed), "no filter canvas");
        assertTrue(!browser.read("scrubber", By.id("filter-scrubber"), WebElement::isDisplayed), "no scrubber");
        int height = browser.read("the filters panel", By.id("filters"), e -> e.getSize().getHeight());
        assertTrue(height < 60, "a one-line panel, was " + height + " px high");

        // the runs page shows its progress as a bar with a percent and an ETA (the table re-renders: read it all in one go)
        browser.js("location.hash = '#/'");
        ProgressCell cell = browser.await("a progress bar with a percent above 0 and an ETA", d -> d.findElements(
                By.cssSelector("#runs-table tr[data-id='" + id + "'] td.progress-cell")).stream()
                .map(e -> new ProgressCell(e.getText(), Double.parseDouble(e.getAttribute("data-percent")),
                        e.findElements(By.cssSelector(".bar .fill")).size()))
                .filter(c -> c.text().matches("(?s).*\\d+(\\.\\d)?%\\s.\\sETA \\d.*") && c.percent() > 0).findFirst().orElse(null));
        assertEquals(1, cell.fills(), cell.text());
        api.stopQuietly(id);
    }

    record ProgressCell(String text, double percent, int fills) {}

    @Test
    void a_negative_learning_rate_shows_the_servers_message_next_to_the_lr_field() {
        browser.driver.get(server.url());
        browser.click("New run button", By.id("new-run"));
        fill("optimizer.lr", "-1");
        browser.click("Start", By.id("start-run"));

        String[] error = browser.await("an error by the lr field",
                d -> d.findElements(By.cssSelector(".field-error[data-field='optimizer.lr']")).stream()
                        .filter(e -> !e.getText().isBlank())
                        .map(e -> new String[] {e.getText(),
                                String.valueOf(e.findElement(By.xpath("..")).findElements(By.cssSelector("input[data-field='optimizer.lr']")).size())})
                        .findFirst().orElse(null));
        assertTrue(error[0].contains("-1"), "message names the bad value: " + error[0]);
        assertEquals("1", error[1], "error sits in the lr field's row");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/") || browser.driver.getCurrentUrl().endsWith("#/"), "no run was opened");
    }

    @Test
    void a_shapes_run_page_shows_a_non_blank_filter_grid_at_a_readable_size_and_the_train_val_chart() throws Exception {
        String id = create(Configs.smallShapes("shapes-small").replace("\"filters\": 4", "\"filters\": 8"));
        browser.driver.get(server.url() + "#/run/" + id);

        browser.await("the filter grid draws something", d -> distinctPixels("#filter-grid") >= 3);
        // 8 filters of 5x5 in the side panel: each at least 48 px on screen, the grid at least 4 tiles wide
        Number tile = (Number) browser.js("""
                const c = document.querySelector('#filter-grid');
                return c.getBoundingClientRect().width / c.width * Number(c.dataset.tile || 0);""");
        assertTrue(tile.doubleValue() >= 48, "tile drawn at " + tile + " px");
        assertTrue(browser.read("filter grid", By.id("filter-grid"), e -> e.getSize().getWidth()) >= 4 * 48, "grid width");
        browser.await("train_acc and val_acc on one chart", d -> {
            String legend = d.findElement(By.cssSelector("#chart-acc")).getText();
            return attrInt("#chart-acc", "points") > 0 && legend.contains("train_acc") && legend.contains("val_acc");
        });
        assertTrue(browser.read("scrubber", By.id("filter-scrubber"), WebElement::isDisplayed));
    }

    long distinctPixels(String css) {
        Object n = browser.js("""
                const c = document.querySelector(arguments[0]);
                if (!c || !c.width || !c.height) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const seen = new Set();
                for (let i = 0; i < d.length; i += 4) if (d[i + 3]) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                return seen.size;""", css);
        return ((Number) n).longValue();
    }

    @Test
    void the_compare_page_overlays_two_runs_and_lists_the_keys_that_differ() throws Exception {
        String a = create(Configs.spiral("cmp-sgd", 100));
        String b = create(Configs.spiral("cmp-adam", 100)
                .replace("\"type\": \"sgd\", \"lr\": 0.5", "\"type\": \"adam\", \"lr\": 0.01"));
        awaitSteps(a);
        awaitSteps(b);
        browser.driver.get(server.url() + "#/compare?ids=" + a + "," + b + "&tag=loss");
        browser.await("both runs drawn on one chart", d -> attrInt("#compare-chart", "runs") == 2);
        String legend = browser.read("the compare legend", By.id("compare-chart"), WebElement::getText);
        assertTrue(legend.contains("cmp-sgd") && legend.contains("cmp-adam"), legend);
        String diff = browser.read("the config diff", By.id("config-diff"), WebElement::getText);
        assertTrue(diff.contains("optimizer.type") && diff.contains("adam") && diff.contains("sgd"), diff);
    }

    /** The compare page is a snapshot: open it once both runs have points. */
    void awaitSteps(String id) {
        browser.await("run " + id + " has steps", d -> {
            try {
                return api.get("api/runs/" + id).matches("(?s).*\"progress\"\\s*:\\s*\\{\"step\"\\s*:\\s*[1-9].*");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void a_run_named_like_html_shows_as_text_on_every_page() throws Exception {
        String id = create(Configs.smallShapes(XSS).replace("\"epochs\": 2", "\"epochs\": 1"));
        browser.driver.get(server.url());
        browser.await("runs table lists it", d -> d.findElements(By.cssSelector("#runs-table td.name a")).stream()
                .anyMatch(e -> e.getText().equals(XSS)));
        assertNoInjectedImages();

        browser.driver.get(server.url() + "#/run/" + id);
        browser.await("run page title", d -> d.findElement(By.cssSelector(".run-name")).getText().equals(XSS));
        assertNoInjectedImages();

        browser.driver.get(server.url() + "#/compare?ids=" + id);
        browser.await("compare picker", d -> d.findElement(By.cssSelector(".run-picker")).getText().contains(XSS));
        assertNoInjectedImages();
    }

    void assertNoInjectedImages() {
        assertEquals(0L, ((Number) browser.js("return document.querySelectorAll('img').length")).longValue(), "no <img> element was created");
    }

    /** The cause is the server's (a lr of 1e9 overflows the weights); the pages must name it, not call the run finished. */
    @Test
    void a_diverged_run_reads_diverged_with_its_reason_on_every_page_and_its_page_only_ever_says_ended() throws Exception {
        String id = create(Configs.diverging("diverges-early"));
        browser.await("the server marks it diverged", d -> {
            try {
                return api.get("api/runs/" + id).matches("(?s).*\"status\"\\s*:\\s*\"diverged\".*");
            } catch (Exception e) {
                return false;
            }
        });

        browser.driver.get(server.url());
        String status = browser.await("diverged in the runs table", d -> d.findElements(
                By.cssSelector("#runs-table tr[data-id='" + id + "'] td.status-cell")).stream()
                .map(WebElement::getText).filter(t -> t.startsWith("diverged")).findFirst().orElse(null));
        assertTrue(status.contains("NaN"), "the reason shows: " + status);

        // record every text the live indicator shows, from before the run page exists until it settles
        browser.js("""
                window.seen = [];
                new MutationObserver(() => {
                  const e = document.getElementById('live-indicator');
                  const t = e && !e.hidden ? e.textContent : '';
                  if (t && window.seen[window.seen.length - 1] !== t) window.seen.push(t);
                }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
                location.hash = '#/run/' + arguments[0];""", id);
        browser.await("the run page settles", d -> d.findElements(By.cssSelector("#checks tr[data-check]")).size() > 0
                && d.findElement(By.id("live-indicator")).getText().equals("ended"));
        assertEquals(List.of("ended"), browser.js("return window.seen"));

        browser.driver.get(server.url() + "#/compare?ids=" + id);
        String pick = browser.await("compare picker", d -> d.findElements(By.cssSelector(".pick[data-status='diverged']")).stream()
                .map(WebElement::getText).findFirst().orElse(null));
        assertTrue(pick.contains("diverged") && pick.contains("NaN"), pick);

        // an ended run can be deleted from the runs page
        browser.driver.get(server.url());
        browser.click("its Delete button", By.cssSelector("#runs-table tr[data-id='" + id + "'] button.danger"));
        browser.await("the confirm dialog", d -> d.switchTo().alert()).accept();
        browser.await("the row goes", d -> d.findElements(By.cssSelector("#runs-table tr[data-id='" + id + "']")).isEmpty());
        assertEquals(404, api.status("api/runs/" + id), "deleted on the server");
        assertEquals("", browser.read("the page message", By.cssSelector(".page-message"), WebElement::getText));
    }

    @Test
    void a_diverging_run_shows_an_alert_marker_on_the_loss_chart_and_its_sanity_results() throws Exception {
        String id = create(Configs.diverging("diverges"));
        browser.driver.get(server.url() + "#/run/" + id);
        browser.await("an alert marker on the loss chart", d -> !d.findElements(By.cssSelector("#chart-loss .alert-marker")).isEmpty());
        browser.await("sanity check results", d -> !d.findElements(By.cssSelector("#checks tr[data-check]")).isEmpty());
        String status = browser.await("final status", d -> {
            String s = d.findElement(By.cssSelector(".run-header .status")).getText();
            return s.equals("diverged") ? s : null;
        });
        assertEquals("diverged", status);
    }
}
