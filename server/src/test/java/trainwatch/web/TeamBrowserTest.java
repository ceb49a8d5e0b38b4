package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;
import trainwatch.testkit.ServerProcess;
import trainwatch.testkit.SweepFiles;

/**
 * What a team does with the dashboard: two people on one run page (a note added by one appears
 * live for the other; a tag added by one reaches the other's open run list), and a copied view
 * URL that reopens the same zoom, smoothing, log axis and filter snapshot in a fresh session.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a child server JVM and several browser sessions
class TeamBrowserTest {
    static ServerProcess server;
    static StoredRuns runs;
    static String run, imageRun;
    static SweepFiles sweep;

    @BeforeAll
    static void writeRunsAndStartServer() throws Exception {
        Path root = Files.createTempDirectory("tw-team").resolve("runs");
        runs = new StoredRuns(root);
        run = runs.write("shared-run", 20_000, 50, StoredRuns.decaying(20_000), RunStatus.FINISHED);
        // a run on image data with first-layer snapshots at steps 0, 100, ..., 900
        imageRun = runs.store.newId();
        runs.store.create(imageRun, runs.config("filters-run", 1_000, 50).replace("\"spiral\"", "\"shapes\""), RunStatus.QUEUED, "");
        try (RunWriter w = runs.store.openWriter(imageRun)) {
            w.status(RunStatus.RUNNING, "");
            var loss = StoredRuns.decaying(1_000);
            for (int s = 0; s < 1_000; s++) {
                w.scalars(s, new String[] {"loss", "train_acc"}, new double[] {loss.applyAsDouble(s), 0.5});
                if (s % 100 == 0) {
                    float[] data = new float[4 * 1 * 5 * 5];
                    for (int i = 0; i < data.length; i++) data[i] = (float) Math.sin(i + s * 0.01);
                    w.filters(s, new int[] {4, 1, 5, 5}, data);
                }
            }
            w.status(RunStatus.FINISHED, "");
        }
        sweep = SweepFiles.write(root, "team-sweep", 20, true);
        server = new ServerProcess(root).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void a_note_added_in_one_session_appears_live_in_another_and_a_tag_reaches_an_open_run_list() {
        try (Browser alice = new Browser(); Browser bob = new Browser(); Browser carol = new Browser()) {
            alice.driver.get(server.url() + "#/run/" + run);
            bob.driver.get(server.url() + "#/run/" + run);
            carol.driver.get(server.url() + "#/");
            for (Browser b : List.of(alice, bob))
                b.await("the run page live", d -> "ended".equals(b.js("const e = document.getElementById('live-indicator'); return e && !e.hidden ? e.textContent : null;"))
                        && Boolean.TRUE.equals(b.js("return !!document.querySelector('#notes-list .empty-note')")));
            carol.await("the run list", d -> !d.findElements(By.cssSelector("#runs-rows tr[data-id='" + run + "']")).isEmpty());

            alice.read("note box", By.id("note-text"), e -> {
                e.sendKeys("lr too high after step 800 <b>not bold</b>");
                return true;
            });
            alice.click("Add note", By.id("add-note"));
            bob.await("alice's note, live, without a reload", d -> d.findElements(By.cssSelector("#notes-list .note")).stream()
                    .anyMatch(n -> n.getText().contains("lr too high after step 800 <b>not bold</b>") && n.getText().contains("local")));
            assertEquals(0L, bob.js("return document.querySelectorAll('#notes-list b').length"), "note text is text, never HTML");
            alice.await("alice sees her note once", d -> d.findElements(By.cssSelector("#notes-list .note")).size() == 1);

            // a refused note says why and stores nothing
            alice.read("note box", By.id("note-text"), e -> {
                e.sendKeys("x".repeat(10));
                return true;
            });
            alice.js("document.getElementById('note-text').value = '   '");
            alice.click("Add note", By.id("add-note"));
            alice.await("a hint for an empty note", d -> !d.findElement(By.id("note-error")).getText().isEmpty());

            alice.read("tag box", By.id("tag-input"), e -> {
                e.sendKeys("baseline");
                return true;
            });
            alice.click("add tag", By.id("add-tag"));
            alice.await("the tag chip", d -> !d.findElements(By.cssSelector("#run-tags .run-tag[data-tag='baseline']")).isEmpty());
            carol.await("the tag on carol's open run list", d -> !d.findElements(
                    By.cssSelector("#runs-rows tr[data-id='" + run + "'] .list-tag[data-tag='baseline']")).isEmpty());
            carol.click("the tag in the list", By.cssSelector("#runs-rows tr[data-id='" + run + "'] .list-tag[data-tag='baseline']"));
            carol.await("the list filtered by the tag, in the URL", d -> d.getCurrentUrl().contains("tag=baseline")
                    && d.findElements(By.cssSelector("#runs-rows tr")).size() == 1 && !d.findElements(By.id("tag-filter")).isEmpty());
            alice.read("tag box", By.id("tag-input"), e -> {
                e.sendKeys("bad!tag");
                return true;
            });
            alice.click("add tag", By.id("add-tag"));
            alice.await("a refused tag names the field", d -> d.findElement(By.id("tag-error")).getText().startsWith("add[0]"));
            for (Browser b : List.of(alice, bob, carol))
                assertTrue(b.consoleErrors().stream().noneMatch(e -> !e.contains("/tags") && !e.contains("/notes")), "console errors: " + b.consoleErrors());
        }
    }

    @Test
    void a_copied_view_url_reopens_the_same_zoom_smoothing_log_axis_and_filter_snapshot() {
        String link;
        double min, max;
        try (Browser alice = new Browser()) {
            alice.driver.get(server.url() + "#/run/" + imageRun);
            alice.await("loss chart drawn", d -> Boolean.TRUE.equals(alice.js(
                    "const p = document.querySelector('#chart-loss .plot'); return !!(p && p.uplot && p.uplot.data[0].length > 0);")));
            alice.await("filters shown", d -> "900".equals(alice.js("const c = document.getElementById('filter-grid'); return c && c.dataset.step;")));
            alice.js("const s = document.getElementById('smoothing'); s.value = '0.9'; s.dispatchEvent(new Event('input'));");
            alice.click("log-y", By.id("log-y"));
            alice.js("const s = document.getElementById('filter-scrubber'); s.value = '3'; s.dispatchEvent(new Event('input'));");
            alice.await("the scrubbed snapshot", d -> "300".equals(alice.js("return document.getElementById('filter-grid').dataset.step")));

            WebElement over = alice.driver.findElement(By.cssSelector("#chart-loss .u-over"));
            double x0 = num(alice, "return document.querySelector('#chart-loss .plot').uplot.valToPos(200, 'x')");
            double x1 = num(alice, "return document.querySelector('#chart-loss .plot').uplot.valToPos(500, 'x')");
            int w = over.getSize().getWidth();
            new Actions(alice.driver).moveToElement(over, (int) x0 - w / 2, 0).clickAndHold()
                    .moveByOffset((int) ((x1 - x0) / 2), 5).moveByOffset((int) ((x1 - x0) / 2), 5).release().perform();
            alice.await("zoomed, and the zoom in the URL", d -> d.getCurrentUrl().contains("zoom="));
            min = num(alice, "return document.querySelector('#chart-loss .plot').uplot.scales.x.min");
            max = num(alice, "return document.querySelector('#chart-loss .plot').uplot.scales.x.max");
            assertTrue(Math.abs(min - 200) < 30 && Math.abs(max - 500) < 30, "zoomed to " + min + ".." + max);

            alice.click("Copy link", By.id("copy-link"));
            link = alice.await("the copied link", d -> (String) alice.js("return window.twCopiedLink || null"));
            assertTrue(link.contains("smooth=0.9") && link.contains("log=1") && link.contains("fstep=300") && link.contains("zoom="), link);
        }
        try (Browser bob = new Browser()) {
            bob.driver.get(link);
            bob.await("the same zoom", d -> {
                Object r = bob.js("const p = document.querySelector('#chart-loss .plot'); const u = p && p.uplot;"
                        + "return u && u.data[0].length ? [u.scales.x.min, u.scales.x.max] : null;");
                if (!(r instanceof List<?> l)) return false;
                return Math.abs(((Number) l.get(0)).doubleValue() - min) < 1 && Math.abs(((Number) l.get(1)).doubleValue() - max) < 1;
            });
            assertEquals("0.9", bob.js("return document.getElementById('smoothing').value"));
            assertEquals(Boolean.TRUE, bob.js("return document.getElementById('log-y').checked"));
            assertEquals("y", bob.js("return document.querySelector('#chart-loss .plot').uplot.scales.y.distr === 3 ? 'y' : 'n'"), "loss chart on a log axis");
            bob.await("the same filter snapshot", d -> "300".equals(bob.js("const c = document.getElementById('filter-grid'); return c && c.dataset.step;")));
            assertTrue(bob.driver.getCurrentUrl().contains("fstep=300") && bob.driver.getCurrentUrl().contains("zoom="), "the URL keeps the view: " + bob.driver.getCurrentUrl());
            assertEquals(List.of(), bob.consoleErrors());
        }
    }

    @Test
    void a_copied_sweep_url_reopens_the_same_brushes() {
        String link;
        long visible;
        try (Browser alice = new Browser()) {
            alice.driver.get(server.url() + "#/sweep/" + sweep.id);
            alice.await("the sweep drawn", d -> ((Number) alice.js("return window.twSweep ? window.twSweep.size() : 0")).intValue() == 20);
            alice.js("window.twSweep.brush(0, [0.2, 0.7])");
            alice.await("the brush in the URL", d -> d.getCurrentUrl().contains("?b."));
            visible = ((Number) alice.js("return window.twSweep.visible()")).longValue();
            assertTrue(visible > 0 && visible < 20, "the brush filters the trials: " + visible);
            alice.click("Copy link", By.id("copy-link"));
            link = alice.await("the copied link", d -> (String) alice.js("return window.twCopiedLink || null"));
        }
        try (Browser bob = new Browser()) {
            bob.driver.get(link);
            bob.await("the same trials brushed", d -> ((Number) bob.js("return window.twSweep ? window.twSweep.size() : 0")).intValue() == 20
                    && ((Number) bob.js("return window.twSweep.visible()")).longValue() == visible
                    && d.findElements(By.cssSelector("#brush-list .brush-chip")).size() == 1);
        }
    }

    static double num(Browser b, String script) {
        return ((Number) b.js(script)).doubleValue();
    }
}
