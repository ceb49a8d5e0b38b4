package trainwatch.web;

import trainwatch.testkit.ServerProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * Compare runs of different lengths, follow the compare URL, zoom, the x-axis
 * choices, and log-y on extreme values, in headless Chromium against runs
 * written with the store's writer. Every test also fails on any console error.
 */
class CompareAndAxesBrowserTest {
    static ServerProcess server;
    static StoredRuns runs;
    static String shortSgd, shortMomentum, shortAdam, longAdam, tinyValues, nanValues;
    static RunWriter fresh;
    Browser browser;

    @BeforeAll
    static void writeRunsAndStartServer() throws Exception {
        Path root = Files.createTempDirectory("tw-compare").resolve("runs");
        runs = new StoredRuns(root);
        runs.stepsPerEpoch = 10;
        runs.optimizer = "sgd";
        shortSgd = runs.write("short-sgd", 3_000, 50, StoredRuns.decaying(3_000), RunStatus.FINISHED);
        runs.optimizer = "momentum";
        shortMomentum = runs.write("short-momentum", 3_000, 50, s -> 0.1 + StoredRuns.decaying(3_000).applyAsDouble(s), RunStatus.FINISHED);
        runs.optimizer = "rmsprop";
        shortAdam = runs.write("short-rmsprop", 3_000, 50, s -> 0.2 + StoredRuns.decaying(3_000).applyAsDouble(s), RunStatus.FINISHED);
        runs.optimizer = "adam";
        longAdam = runs.write("long-adam", 20_000, 50, StoredRuns.decaying(20_000), RunStatus.FINISHED);
        // an sgd run whose l2 term collapses geometrically from 1e3 to 1e-46 (the diverging lr-50 spiral's reg_loss)
        runs.stepsPerEpoch = 1;
        runs.reg = s -> Math.pow(10, 3 - 49.0 * s / 999);
        tinyValues = runs.write("tiny-reg", 1_000, 50, StoredRuns.decaying(1_000), RunStatus.FINISHED);
        // NaN and Infinity in the loss, zeros in reg_loss
        runs.reg = s -> s % 97 == 0 ? 0.0 : 0.01;
        nanValues = runs.write("nan-values", 1_000, 50,
                s -> s >= 300 && s < 310 ? Double.NaN : s == 700 ? Double.POSITIVE_INFINITY : StoredRuns.decaying(1_000).applyAsDouble(s),
                RunStatus.DIVERGED);
        runs.reg = null;
        fresh = runs.open("fresh-no-records", 1_000, 0, 50, StoredRuns.decaying(1_000));
        server = new ServerProcess(root).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fresh != null) fresh.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void open() {
        browser = new Browser();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    void assertNoConsoleErrors(String when) {
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), "console errors " + when + ": " + errors);
    }

    Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    double num(String script, Object... args) {
        return ((Number) browser.js(script, args)).doubleValue();
    }

    /** Waits until the element's chart exists and its `runs` data attribute (compare) says n runs drew. */
    void awaitCompare(int n) {
        browser.await(n + " runs drawn", d -> Boolean.TRUE.equals(js(
                "const p = document.querySelector('#compare-chart'); return !!p && !!p.uplot && Number(p.dataset.runs) === arguments[0] && p.uplot.data[0].length > 0;", n)));
    }

    /** Legend values of every run when the cursor is over the given x value (uPlot reads real mouse events). */
    @SuppressWarnings("unchecked")
    List<String> hoverAt(double x) {
        return (List<String>) js("""
                const u = document.querySelector('#compare-chart').uplot;
                const r = u.over.getBoundingClientRect();
                const px = r.left + u.valToPos(arguments[0], 'x'), py = r.top + r.height / 2;
                u.over.dispatchEvent(new MouseEvent('mouseenter', { clientX: px, clientY: py, bubbles: true }));
                u.over.dispatchEvent(new MouseEvent('mousemove', { clientX: px, clientY: py, bubbles: true }));
                return [...u.root.querySelectorAll('.u-legend .u-series')].slice(1).map((e) => e.querySelector('.u-value').textContent);""", x);
    }

    @Test
    void compare_draws_each_runs_whole_line_whatever_its_length_and_hover_shows_every_run() {
        browser.driver.get(server.url() + "#/compare?ids=" + String.join(",", shortSgd, shortMomentum, shortAdam, longAdam) + "&tag=loss");
        awaitCompare(4);
        List<ChartProbe.Drawn> drawn = ChartProbe.drawn(browser, "#compare-chart");
        assertEquals(4, drawn.size(), drawn.toString());
        for (ChartProbe.Drawn d : drawn) {
            assertEquals(0, d.gaps(), "no gaps cut: " + d);
            assertTrue(d.coverage() >= 0.97, "a whole line: " + d + "\nall: " + drawn);
            assertTrue(d.firstX() <= 20, "drawn from the start: " + d);
        }
        ChartProbe.Drawn longest = drawn.stream().filter(d -> d.label().equals("long-adam")).findFirst().orElseThrow();
        assertTrue(longest.lastX() >= 19_999, longest.toString());
        for (double x : new double[] {1_500, 2_990, 12_000}) {
            List<String> values = hoverAt(x);
            assertEquals(4, values.size());
            for (String v : values) assertTrue(v.matches("[-0-9.e]+"), "every run shows a value at step " + x + ": " + values);
        }
        assertNoConsoleErrors("on compare");
    }

    @Test
    void compare_follows_a_new_url_in_the_same_tab_without_a_reload() {
        browser.driver.get(server.url() + "#/compare?ids=" + shortSgd + "," + shortMomentum + "&tag=loss");
        awaitCompare(2);
        js("window.sameDocument = true; location.hash = arguments[0];", "#/compare?ids=" + shortAdam + "," + longAdam + "&tag=val_acc");
        browser.await("the pasted link's tag and runs", d -> {
            String legend = d.findElement(By.id("compare-chart")).getText();
            return new Select(d.findElement(By.id("compare-tag"))).getFirstSelectedOption().getText().equals("val_acc")
                    && legend.contains("short-rmsprop") && legend.contains("long-adam") && !legend.contains("short-sgd")
                    && Boolean.TRUE.equals(js("return window.sameDocument === true"));
        });
        awaitCompare(2);
        assertTrue(browser.driver.findElement(By.cssSelector("input[data-id='" + longAdam + "']")).isSelected());
        assertFalse(browser.driver.findElement(By.cssSelector("input[data-id='" + shortSgd + "']")).isSelected());
        assertNoConsoleErrors("after a hash change");
    }

    /** Samples of one series whose x lies in [a, b]. */
    int samplesIn(String label, double a, double b) {
        return ((Number) js("""
                const u = document.querySelector('#compare-chart').uplot;
                const i = u.series.findIndex((s) => s.label === arguments[0]);
                let n = 0;
                for (let k = 0; k < u.data[0].length; k++) if (u.data[0][k] >= arguments[1] && u.data[0][k] <= arguments[2] && u.data[i][k] != null) n++;
                return n;""", label, a, b)).intValue();
    }

    @Test
    void compare_zooms_by_dragging_at_full_resolution_and_double_click_resets() {
        browser.driver.get(server.url() + "#/compare?ids=" + shortSgd + "," + longAdam + "&tag=loss&smooth=0");
        awaitCompare(2);
        int before = samplesIn("long-adam", 6_000, 12_000);
        WebElement over = browser.driver.findElement(By.cssSelector("#compare-chart .u-over"));
        double x0 = num("return document.querySelector('#compare-chart').uplot.valToPos(6000, 'x')");
        double x1 = num("return document.querySelector('#compare-chart').uplot.valToPos(12000, 'x')");
        int w = over.getSize().getWidth(), hgt = over.getSize().getHeight();
        new Actions(browser.driver).moveToElement(over, (int) x0 - w / 2, 0).clickAndHold()
                .moveByOffset((int) ((x1 - x0) / 2), 5).moveByOffset((int) ((x1 - x0) / 2), 5).release().perform();
        browser.await("zoomed and refetched", d -> "1".equals(js("return document.querySelector('#compare-chart').dataset.zoomed"))
                && samplesIn("long-adam", 6_000, 12_000) > 2 * before);
        double min = num("return document.querySelector('#compare-chart').uplot.scales.x.min");
        double max = num("return document.querySelector('#compare-chart').uplot.scales.x.max");
        assertTrue(Math.abs(min - 6_000) < 300 && Math.abs(max - 12_000) < 300, "x range " + min + ".." + max);
        assertTrue(hgt > 0);
        new Actions(browser.driver).doubleClick(browser.driver.findElement(By.cssSelector("#compare-chart .u-over"))).perform();
        browser.await("zoom reset", d -> "".equals(js("return document.querySelector('#compare-chart').dataset.zoomed"))
                && num("return document.querySelector('#compare-chart').uplot.scales.x.max") >= 19_999);
        assertNoConsoleErrors("while zooming");
    }

    double lastX(String css, String label) {
        return num("""
                const u = document.querySelector(arguments[0]).uplot;
                const i = u.series.findIndex((s) => s.label === arguments[1]);
                let x = NaN;
                for (let k = 0; k < u.data[0].length; k++) if (u.data[i][k] != null) x = u.data[0][k];
                return x;""", css, label);
    }

    @Test
    void compare_offers_step_epoch_relative_and_wall_time_axes() {
        browser.driver.get(server.url() + "#/compare?ids=" + shortSgd + "," + longAdam + "&tag=loss");
        awaitCompare(2);
        assertEquals(19_999, lastX("#compare-chart", "long-adam"), 0.5);
        select("compare-x", "epoch");
        browser.await("epoch axis", d -> Math.abs(lastX("#compare-chart", "long-adam") - 1_999.9) < 0.01);
        assertEquals(299.9, lastX("#compare-chart", "short-sgd"), 0.01, "each run through its own steps per epoch");
        select("compare-x", "relative");
        // the writer's clock moved 10 ms per step: 20,000 steps are ~200 s after the first record
        browser.await("relative time axis", d -> Math.abs(lastX("#compare-chart", "long-adam") - 199.99) < 1.5);
        assertTrue(browser.driver.getCurrentUrl().contains("x=relative"), browser.driver.getCurrentUrl());
        select("compare-x", "wall");
        browser.await("wall time axis", d -> lastX("#compare-chart", "long-adam") > 1.7e12);
        assertTrue(lastX("#compare-chart", "long-adam") > lastX("#compare-chart", "short-sgd"), "written after it");
        assertNoConsoleErrors("switching axes");
    }

    double lastY(String css, String label) {
        return num("""
                const u = document.querySelector(arguments[0]).uplot;
                const i = u.series.findIndex((s) => s.label === arguments[1]);
                let y = NaN;
                for (let k = 0; k < u.data[0].length; k++) if (u.data[i][k] != null) y = u.data[i][k];
                return y;""", css, label);
    }

    void select(String id, String value) {
        new Select(browser.await(id, d -> d.findElement(By.id(id)))).selectByValue(value);
    }

    void awaitRunChart(String chart) {
        browser.await(chart + " chart", d -> Boolean.TRUE.equals(js(
                "const p = document.querySelector('#chart-' + arguments[0] + ' .plot'); return !!p && !!p.uplot && p.uplot.data[0].length > 0;", chart)));
    }

    @Test
    void the_run_page_x_axis_and_log_y_are_in_its_url_and_survive_a_reload() {
        browser.driver.get(server.url() + "#/run/" + longAdam);
        awaitRunChart("loss");
        // loss includes the l2 term and val_loss does not: the data loss is drawn beside val_loss by default
        browser.await("data loss by default", d -> d.findElement(By.id("chart-loss")).getText().contains("data loss smoothed"));
        double data = lastY("#chart-loss .plot", "data loss raw");
        browser.driver.findElement(By.id("total-loss")).click();
        browser.await("the total one click away", d -> !d.findElement(By.id("chart-loss")).getText().contains("data loss")
                && d.findElement(By.id("chart-loss")).getText().contains("loss smoothed"));
        double total = lastY("#chart-loss .plot", "loss raw");
        assertEquals(0.01 * Math.exp(-19_999 / 20_000.0), total - data, 1e-6, "the difference is the last reg_loss");
        browser.driver.findElement(By.id("total-loss")).click();
        browser.await("back to the data loss", d -> d.findElement(By.id("chart-loss")).getText().contains("data loss smoothed"));
        select("x-axis", "epoch");
        browser.await("epochs on the loss chart", d -> Math.abs(lastX("#chart-loss .plot", "data loss smoothed") - 1_999.9) < 0.01);
        browser.driver.findElement(By.id("log-y")).click();
        browser.await("url keeps x and log", d -> d.getCurrentUrl().contains("x=epoch") && d.getCurrentUrl().contains("log=1"));
        browser.driver.navigate().refresh();
        awaitRunChart("loss");
        browser.await("epochs again after the reload", d -> Math.abs(lastX("#chart-loss .plot", "data loss smoothed") - 1_999.9) < 0.01);
        assertTrue(browser.driver.findElement(By.id("log-y")).isSelected());
        assertEquals("epoch", new Select(browser.driver.findElement(By.id("x-axis"))).getFirstSelectedOption().getAttribute("value"));
        select("x-axis", "relative");
        browser.await("relative time on the run page", d -> Math.abs(lastX("#chart-loss .plot", "data loss smoothed") - 199.99) < 1.5);
        assertNoConsoleErrors("on the run page");
    }

    /** y range of a chart, and how much of the named series it drew. */
    void assertLogChartDrawn(String css, String label) {
        browser.await("a log axis with finite positive bounds", d -> Boolean.TRUE.equals(js(
                "const u = document.querySelector(arguments[0]).uplot; return !!u && u.scales.y.distr === 3 && u.scales.y.min > 0 && Number.isFinite(u.scales.y.max) && u.data[0].length > 0;", css)));
        List<ChartProbe.Drawn> drawn = ChartProbe.drawn(browser, css);
        ChartProbe.Drawn d = drawn.stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label + " not in " + drawn));
        assertTrue(d.coverage() > 0.9, "drawn on the log axis: " + d);
    }

    @Test
    void log_y_survives_values_from_1e_minus_46_to_1e3_zeros_nan_and_infinity_on_run_and_compare_pages() {
        browser.driver.get(server.url() + "#/run/" + tinyValues);
        awaitRunChart("loss");
        browser.driver.findElement(By.id("log-y")).click();
        assertLogChartDrawn("#chart-loss .plot", "reg_loss");
        double min = num("return document.querySelector('#chart-loss .plot').uplot.scales.y.min");
        assertTrue(min <= 1e-46 && min >= 1e-47, "the axis reaches the smallest value: " + min);
        assertNoConsoleErrors("log-y with 1e-46");

        browser.driver.get(server.url() + "#/run/" + nanValues);
        awaitRunChart("loss");
        browser.driver.findElement(By.id("log-y")).click();
        assertLogChartDrawn("#chart-loss .plot", "data loss smoothed");
        assertNoConsoleErrors("log-y with NaN, Infinity and zeros");

        browser.driver.get(server.url() + "#/compare?ids=" + tinyValues + "," + nanValues + "&tag=reg_loss&log=1");
        awaitCompare(2);
        assertLogChartDrawn("#compare-chart", "tiny-reg");
        double max = num("return document.querySelector('#compare-chart').uplot.scales.y.max");
        assertTrue(max <= 1e3 * 1.0001, "the log axis ends at the data's decade, not far past it: " + max);
        assertNoConsoleErrors("compare with log-y");
    }

    /** A scripted session over every page; any uncaught error or failed request in the console fails it. */
    @Test
    void a_session_over_every_page_leaves_no_error_or_failed_request_in_the_console() {
        List<String> seen = new ArrayList<>();
        browser.driver.get(server.url());
        browser.await("runs table", d -> d.findElements(By.cssSelector("#runs-table tr[data-id]")).size() >= 7);
        browser.await("New run button", d -> d.findElement(By.id("new-run"))).click();
        browser.await("the form", d -> d.findElement(By.id("run-form")));
        seen.addAll(browser.consoleErrors());

        for (String id : List.of(shortSgd, longAdam, tinyValues, nanValues, StoredRuns.idOf(fresh))) {
            browser.driver.get(server.url() + "#/run/" + id);
            browser.await("run page " + id, d -> !d.findElements(By.cssSelector(".run-header .status")).isEmpty()
                    && !d.findElement(By.cssSelector(".run-header .status")).getText().isBlank());
            if (!id.equals(StoredRuns.idOf(fresh))) awaitRunChart("loss");
            else browser.await("the live badge", d -> d.findElement(By.id("live-indicator")).getText().equals("live"));
            select("x-axis", "wall");
            select("x-axis", "step");
            browser.driver.findElement(By.id("log-y")).click();
            seen.addAll(browser.consoleErrors());
        }
        browser.driver.get(server.url() + "#/compare?ids=" + shortSgd + "," + StoredRuns.idOf(fresh) + "&tag=val_loss");
        browser.await("compare page", d -> !d.findElements(By.cssSelector(".run-picker .pick")).isEmpty());
        awaitCompare(1);
        js("location.hash = arguments[0]", "#/compare?ids=" + shortSgd + "," + nanValues + "&tag=loss&log=1");
        awaitCompare(2);
        select("compare-x", "epoch");
        seen.addAll(browser.consoleErrors());
        browser.driver.get(server.url() + "#/run/no-such-run");
        browser.await("a not-found message", d -> d.findElement(By.cssSelector(".page-message")).getText().contains("No such run"));
        List<String> last = new ArrayList<>(browser.consoleErrors());
        // the one request expected to fail: the page asked for a run that does not exist and said so
        last.removeIf(e -> e.contains("/api/runs/no-such-run ") && e.contains("404"));
        seen.addAll(last);
        assertTrue(seen.isEmpty(), "console errors: " + seen);
    }
}
