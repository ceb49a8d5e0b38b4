package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import trainwatch.testkit.ServerProcess;
import trainwatch.testkit.SweepFiles;

/**
 * The sweep pages in real headless Chromium against the real server (a child JVM) serving a
 * finished 60-trial sweep written as files (with a run per trial): the trial table with its
 * statuses and keyboard sorting, brushing the parallel coordinates filtering the table (and a
 * double-click clearing it), the refine button making a new sweep and going to it, the runs
 * list filtered by sweep, and the new-sweep form putting server errors beside their fields.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SweepBrowserTest {
    static final int N = 60;
    static ServerProcess server;
    static SweepFiles sweep;
    Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createTempDirectory("tw-sweep-web");
        sweep = SweepFiles.write(root.resolve("runs"), "fixture-60", N, true);
        server = new ServerProcess(root.resolve("runs"), "--max-parallel", "2").start();
    }

    @AfterAll
    static void stop() throws Exception {
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

    void openSweep() {
        browser.driver.get(server.url() + "#/sweep/" + sweep.id);
        browser.await("the trial table", d -> text("#trial-count").equals(N + " trials") && !d.findElements(By.cssSelector("#trial-rows tr[data-n]")).isEmpty());
    }

    /** An element's text in one script (the live page re-renders: a found element may be replaced before it is read). */
    String text(String css) {
        Object t = browser.js("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : ''", css);
        return t == null ? "" : t.toString();
    }

    @Test
    void the_trial_table_shows_values_and_statuses_best_first_and_sorts_by_keyboard() {
        openSweep();
        SweepFiles.Trial best = sweep.trials.stream().filter(t -> t.status().equals("finished"))
                .max(java.util.Comparator.comparingDouble(SweepFiles.Trial::value)).orElseThrow();
        List<Row> rows = rows();
        assertEquals(best.run(), rows.get(0).run(), "best first by default");
        assertTrue(rows.get(0).cells().get(3).startsWith(String.format("%.3f", best.value()).substring(0, 4)), rows.get(0).toString());
        assertTrue(text("#sweep-best").contains("trial " + best.n()), text("#sweep-best"));
        assertEquals("#/run/" + best.run(), browser.read("the open-best link", By.id("open-best"), e -> e.getDomProperty("hash")));
        assertTrue(browser.driver.findElements(By.cssSelector("canvas#parcoords")).size() == 1);
        assertEquals(5, browser.driver.findElements(By.cssSelector("#scatter-grid canvas")).size(), "a scatter per parameter");
        // virtualised: far fewer rows in the DOM than trials would be at 10,000; here at most the 60
        assertTrue(rows.size() <= N);

        // keyboard: Tab to the status header, Enter sorts ascending: failed first, pruned shown as such
        browser.await("Enter on the status header", d -> { // found and pressed in one wait: a live page may re-render it
            d.findElement(By.cssSelector("#trial-table button[data-sort='status']")).sendKeys(Keys.ENTER);
            return true;
        });
        browser.await("sorted by status", d -> rows().get(0).status().equals("failed"));
        assertEquals("status", browser.read("the ascending header", By.cssSelector("#trial-table th[aria-sort='ascending'] button"), e -> e.getAttribute("data-sort")));
        WebElement focused = browser.driver.switchTo().activeElement();
        assertEquals("status", focused.getAttribute("data-sort"), "focus stays on the header after sorting");
        focused.sendKeys(Keys.SPACE);
        browser.await("sorted by status, descending: pruned first", d -> rows().get(0).status().equals("pruned"));
        assertEquals("pruned", browser.read("a pruned badge", By.cssSelector("#trial-rows tr[data-status='pruned'] .status-pruned"), WebElement::getText));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void brushing_an_axis_of_the_parallel_coordinates_filters_the_table_and_a_double_click_clears_it() {
        openSweep();
        WebElement canvas = browser.driver.findElement(By.id("parcoords"));
        int w = canvas.getSize().getWidth(), hgt = canvas.getSize().getHeight();
        // the optimizer.lr axis is the first, 56 px from the left; its top is 44 px down, its bottom 36 px up
        new Actions(browser.driver).moveToElement(canvas, 56 - w / 2, 60 - hgt / 2).clickAndHold()
                .moveByOffset(0, 40).moveByOffset(0, 60).release().perform();
        browser.await("the table filtered", d -> text("#trial-count").contains("of " + N + " trials match"));
        String chip = text(".brush-chip[data-axis='optimizer.lr']");
        Matcher m = Pattern.compile("optimizer\\.lr: ([0-9.e-]+) – ([0-9.e-]+)").matcher(chip);
        assertTrue(m.find(), chip);
        double lo = Double.parseDouble(m.group(1)), hi = Double.parseDouble(m.group(2));
        int shown = Integer.parseInt(text("#trial-count").split(" ")[0]);
        long expected = sweep.trials.stream().filter(t -> inRange(((Number) t.values().get("optimizer.lr")).doubleValue(), lo, hi)).count();
        assertTrue(shown > 0 && shown < N, "some trials, not all: " + shown);
        assertTrue(Math.abs(shown - expected) <= 1, "the table shows the trials in the brushed range " + lo + ".." + hi + ": " + shown + " vs " + expected);
        List<Row> shownRows = rows();
        assertTrue(!shownRows.isEmpty());
        for (Row row : shownRows) {
            double lr = Double.parseDouble(row.cells().get(5));
            assertTrue(inRange(lr, lo * 0.99, hi * 1.01), "row " + row + " is outside " + lo + ".." + hi);
        }
        // the brushes as state (what a shareable URL keeps): cleared, then set back, the same trials match
        String state = (String) browser.js("return JSON.stringify(twSweep.brushes())");
        assertTrue(state.startsWith("{\"optimizer.lr\":["), state);
        browser.js("twSweep.clear()");
        browser.await("cleared", d -> text("#trial-count").equals(N + " trials"));
        browser.js("twSweep.setBrushes(JSON.parse(arguments[0]))", state);
        browser.await("the same brush set back", d -> text("#trial-count").startsWith(shown + " of " + N));
        new Actions(browser.driver).doubleClick(canvas).perform();
        browser.await("the brush cleared", d -> text("#trial-count").equals(N + " trials") && d.findElements(By.cssSelector(".brush-chip")).isEmpty());
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void the_sweeps_list_shows_a_new_sweep_without_a_reload() {
        browser.driver.get(server.url() + "#/sweeps");
        browser.await("the list, live", d -> !d.findElements(By.cssSelector("#sweeps-table tr[data-id='" + sweep.id + "']")).isEmpty()
                && text("#sweeps-live").equals("live"));
        SweepFiles other = SweepFiles.write(server.runs(), "fixture-pushed", 5, false); // as a `sweep` command on the same runs/ would
        browser.await("the new sweep listed (pushed: the page does not poll)",
                d -> !d.findElements(By.cssSelector("#sweeps-table tr[data-id='" + other.id + "']")).isEmpty());
        assertTrue(text("#sweeps-table tr[data-id='" + other.id + "']").contains("fixture-pushed"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    record Row(String run, String status, List<String> cells) {}

    /** The rendered rows, read in one script: the live page may re-render between two WebDriver calls. */
    @SuppressWarnings("unchecked")
    List<Row> rows() {
        List<List<Object>> raw = (List<List<Object>>) browser.js(
                "return [...document.querySelectorAll('#trial-rows tr[data-n]')].map(r => [r.dataset.run, r.dataset.status, [...r.cells].map(c => c.innerText.trim())])");
        return raw.stream().map(r -> new Row((String) r.get(0), (String) r.get(1), (List<String>) r.get(2))).toList();
    }

    static boolean inRange(double v, double lo, double hi) {
        return v >= lo && v <= hi;
    }

    @Test
    void refine_makes_a_new_sweep_and_the_page_goes_to_it() throws Exception {
        openSweep();
        browser.driver.findElement(By.id("refine-trials")).sendKeys("2");
        browser.click("refine", By.id("refine-sweep"));
        browser.await("the new sweep's page", d -> {
            String hash = (String) browser.js("return location.hash");
            return hash.startsWith("#/sweep/s") && !hash.equals("#/sweep/" + sweep.id);
        });
        String child = ((String) browser.js("return location.hash")).substring("#/sweep/".length());
        browser.await("linked to its parent", d -> text("#sweep-parent").equals(sweep.id));
        assertTrue(text("#sweep-name").contains("refined"), text("#sweep-name"));
        String detail = new Api(server.url()).get("api/sweeps/" + child);
        assertTrue(detail.contains("\"parent\":\"" + sweep.id + "\""), detail);
        // back to the parent by its link; then leave the machine free for the next test
        post("api/sweeps/" + child + "/stop");
        browser.click("the parent link", By.id("sweep-parent"));
        browser.await("the parent's page", d -> text("#trial-count").equals(N + " trials"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void the_runs_list_filters_by_sweep_and_each_trial_links_to_it() {
        browser.driver.get(server.url() + "#/?sweep=" + sweep.id);
        browser.await("the sweep's runs", d -> text("#runs-summary").endsWith("of " + N) || text("#runs-summary").equals(N + " of " + N));
        assertTrue(text("#sweep-filter").contains(sweep.id), text("#sweep-filter"));
        // read inside one wait: the runs list re-renders its rows on live updates (this went stale once in a flake check)
        assertEquals("#/sweep/" + sweep.id, browser.read("a sweep tag", By.cssSelector("#runs-rows a.tag-sweep"), e -> e.getDomProperty("hash")));
        browser.click("the sweep tag", By.cssSelector("#runs-rows a.tag-sweep"));
        browser.await("the sweep page", d -> text("#trial-count").equals(N + " trials"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void the_new_sweep_form_puts_each_server_error_beside_its_field() throws Exception {
        int before = sweepCount();
        browser.driver.get(server.url() + "#/sweeps?new=1");
        browser.await("the form", d -> d.findElement(By.id("sweep-form")).isDisplayed());
        WebElement trials = browser.driver.findElement(By.cssSelector("#sweep-form input[data-field='trials']"));
        trials.clear();
        trials.sendKeys("0");
        WebElement min = browser.driver.findElements(By.cssSelector("#param-rows .param-row input[aria-label='min']")).get(0);
        min.clear();
        min.sendKeys("0");
        browser.click("start", By.id("start-sweep"));
        browser.await("errors beside the fields", d -> !text(".field-error[data-field='trials']").isEmpty()
                && !d.findElements(By.cssSelector("#param-rows .param-error")).get(0).getText().isBlank());
        assertTrue(text(".field-error[data-field='trials']").contains("0"), text(".field-error[data-field='trials']"));
        assertTrue(browser.driver.findElements(By.cssSelector("#param-rows .param-error")).get(0).getText().contains("min"));
        assertTrue(trials.getAttribute("class").contains("invalid"));
        assertEquals(before, sweepCount(), "a refused spec created nothing");
        assertEquals(List.of(), browser.consoleErrors().stream().filter(e -> !e.contains("400")).toList(), "only the refused POST");
    }

    static int sweepCount() throws Exception {
        return trainwatch.json.Json.tree(new Api(server.url()).get("api/sweeps")).get("sweeps").size();
    }

    static void post(String path) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
    }
}
