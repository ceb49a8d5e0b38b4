package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The dashboard in real headless Chromium against the real server and real trainer processes. */
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

    void fill(String field, String value) {
        WebElement input = browser.driver.findElement(By.cssSelector("#run-form [data-field='" + field + "']"));
        if (input.getTagName().equals("select")) new Select(input).selectByValue(value);
        else {
            input.clear();
            input.sendKeys(value);
        }
    }

    @Test
    void a_spiral_run_started_from_the_form_gains_loss_points_while_it_trains() {
        browser.driver.get(server.url());
        browser.await("New run button", d -> d.findElement(By.id("new-run"))).click();
        fill("name", "spiral-from-form");
        fill("dataset", "spiral");
        fill("model.type", "mlp");
        fill("model.hidden", "32");
        fill("optimizer.type", "sgd");
        fill("optimizer.lr", "0.5");
        fill("schedule.type", "constant");
        fill("batchSize", "300");
        fill("epochs", "20000");
        fill("trainSize", "");
        fill("valSize", "");
        browser.driver.findElement(By.id("start-run")).click();

        browser.await("the run page opens", d -> d.getCurrentUrl().contains("#/run/"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*#/run/", "");
        started.add(id);
        browser.await("loss points appear", d -> attrInt("#chart-loss", "points") > 0);
        int first = attrInt("#chart-loss", "lastStep");
        browser.await("the loss chart keeps gaining points", d -> attrInt("#chart-loss", "lastStep") > first + 20);
        assertEquals("live", browser.driver.findElement(By.id("live-indicator")).getText());

        // spiral records no filters: one line of note, no empty canvas or useless scrubber
        WebElement filters = browser.driver.findElement(By.id("filters"));
        assertTrue(filters.getText().contains("not image data"), filters.getText());
        assertTrue(!browser.driver.findElement(By.id("filter-grid")).isDisplayed(), "no filter canvas");
        assertTrue(!browser.driver.findElement(By.id("filter-scrubber")).isDisplayed(), "no scrubber");
        assertTrue(filters.getSize().getHeight() < 60, "a one-line panel, was " + filters.getSize().getHeight() + " px high");

        // the runs page shows its progress as a bar with a percent and an ETA
        browser.js("location.hash = '#/'");
        WebElement cell = browser.await("a progress bar with percent and ETA", d -> d.findElements(
                By.cssSelector("#runs-table tr[data-id='" + id + "'] td.progress-cell")).stream()
                .filter(e -> e.getText().matches("(?s).*\\d+(\\.\\d)?%\\s.\\sETA \\d.*")).findFirst().orElse(null));
        assertTrue(Double.parseDouble(cell.getAttribute("data-percent")) > 0, cell.getText());
        assertEquals(1, cell.findElements(By.cssSelector(".bar .fill")).size());
        api.stopQuietly(id);
    }

    @Test
    void a_negative_learning_rate_shows_the_servers_message_next_to_the_lr_field() {
        browser.driver.get(server.url());
        browser.await("New run button", d -> d.findElement(By.id("new-run"))).click();
        fill("optimizer.lr", "-1");
        browser.driver.findElement(By.id("start-run")).click();

        WebElement error = browser.await("an error by the lr field",
                d -> d.findElements(By.cssSelector(".field-error[data-field='optimizer.lr']")).stream()
                        .filter(e -> !e.getText().isBlank()).findFirst().orElse(null));
        assertTrue(error.getText().contains("-1"), "message names the bad value: " + error.getText());
        WebElement row = error.findElement(By.xpath(".."));
        assertEquals(1, row.findElements(By.cssSelector("input[data-field='optimizer.lr']")).size(), "error sits in the lr field's row");
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
        assertTrue(browser.driver.findElement(By.id("filter-grid")).getSize().getWidth() >= 4 * 48, "grid width");
        browser.await("train_acc and val_acc on one chart", d -> {
            String legend = d.findElement(By.cssSelector("#chart-acc")).getText();
            return attrInt("#chart-acc", "points") > 0 && legend.contains("train_acc") && legend.contains("val_acc");
        });
        assertTrue(browser.driver.findElement(By.id("filter-scrubber")).isDisplayed());
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
        String a = create(Configs.longSpiral("cmp-sgd").replace("\"epochs\": 20000", "\"epochs\": 300"));
        String b = create(Configs.longSpiral("cmp-adam").replace("\"epochs\": 20000", "\"epochs\": 300")
                .replace("\"type\": \"sgd\", \"lr\": 0.5", "\"type\": \"adam\", \"lr\": 0.01"));
        awaitSteps(a);
        awaitSteps(b);
        browser.driver.get(server.url() + "#/compare?ids=" + a + "," + b + "&tag=loss");
        browser.await("both runs drawn on one chart", d -> attrInt("#compare-chart", "runs") == 2);
        String legend = browser.driver.findElement(By.id("compare-chart")).getText();
        assertTrue(legend.contains("cmp-sgd") && legend.contains("cmp-adam"), legend);
        String diff = browser.driver.findElement(By.id("config-diff")).getText();
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
        WebElement status = browser.await("diverged in the runs table", d -> d.findElements(
                By.cssSelector("#runs-table tr[data-id='" + id + "'] td.status-cell")).stream()
                .filter(e -> e.getText().startsWith("diverged")).findFirst().orElse(null));
        assertTrue(status.getText().contains("NaN"), "the reason shows: " + status.getText());

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
        WebElement pick = browser.await("compare picker", d -> d.findElements(By.cssSelector(".pick[data-status='diverged']")).stream()
                .findFirst().orElse(null));
        assertTrue(pick.getText().contains("diverged") && pick.getText().contains("NaN"), pick.getText());

        // an ended run can be deleted from the runs page
        browser.driver.get(server.url());
        browser.await("its Delete button", d -> d.findElement(By.cssSelector("#runs-table tr[data-id='" + id + "'] button.danger"))).click();
        browser.await("the confirm dialog", d -> d.switchTo().alert()).accept();
        browser.await("the row goes", d -> d.findElements(By.cssSelector("#runs-table tr[data-id='" + id + "']")).isEmpty());
        assertEquals(404, api.status("api/runs/" + id), "deleted on the server");
        assertEquals("", browser.driver.findElement(By.cssSelector(".page-message")).getText());
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
