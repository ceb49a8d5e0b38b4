package trainwatch.web;

import trainwatch.testkit.ServerProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import trainwatch.event.RunStatus;
import trainwatch.store.RunWriter;

/**
 * Long runs must draw whole lines: every series continuous over its own steps
 * (bucketed loss, every-50-steps validation, live points appended after the
 * buckets), broken only where a value is missing or non-finite. Runs are
 * written with the store's writer (a million steps in seconds) and the test
 * reads the pixels each series drew.
 */
class LongRunChartsBrowserTest {
    static final int EVAL = 50;
    static ServerProcess server;
    static StoredRuns runs;
    static String r1k, r50k, r1m, nanRun;
    static RunWriter live;
    static final long LIVE_STEPS = 50_000;
    Browser browser;

    @BeforeAll
    static void writeRunsAndStartServer() throws Exception {
        Path root = Files.createTempDirectory("tw-long").resolve("runs");
        runs = new StoredRuns(root);
        r1k = runs.write("steps-1k", 1_000, EVAL, StoredRuns.decaying(1_000), RunStatus.FINISHED);
        r50k = runs.write("steps-50k", 50_000, EVAL, StoredRuns.decaying(50_000), RunStatus.FINISHED);
        r1m = runs.write("steps-1m", 1_000_000, EVAL, StoredRuns.decaying(1_000_000), RunStatus.FINISHED);
        // the loss is NaN on steps 400..599: the lines must break there and nowhere else
        var healthy = StoredRuns.decaying(1_000);
        nanRun = runs.write("nan-hole", 1_000, EVAL, s -> s >= 400 && s < 600 ? Double.NaN : healthy.applyAsDouble(s), RunStatus.FINISHED);
        live = runs.open("live-50k", 200_000, LIVE_STEPS, EVAL, StoredRuns.decaying(200_000));
        server = new ServerProcess(root).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) live.close();
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

    void openRun(String id, long lastStep) {
        browser.driver.get(server.url() + "#/run/" + id);
        for (String chart : List.of("loss", "acc", "ratio", "lr")) {
            browser.await(chart + " chart drawn to step " + lastStep, d -> Boolean.TRUE.equals(browser.js(
                    "const b = document.querySelector('#chart-' + arguments[0]); const u = b && b.querySelector('.plot').uplot;"
                            + "return !!u && Number(b.dataset.lastStep) >= arguments[1] && u.data[0].length > 0;", chart, lastStep)));
        }
    }

    /** Every line of every chart covers nearly every pixel column over its own steps, and uPlot cut no gap into it. */
    void assertWholeLines(String what) {
        for (String chart : List.of("loss", "acc", "ratio", "lr")) {
            List<ChartProbe.Drawn> drawn = ChartProbe.drawn(browser, "#chart-" + chart + " .plot");
            assertFalse(drawn.isEmpty(), what + ": chart " + chart + " drew nothing");
            for (ChartProbe.Drawn d : drawn) {
                assertTrue(d.columns() > 100, what + ": " + chart + " too narrow to judge: " + d);
                assertEquals(0, d.gaps(), what + ": " + chart + " has gaps cut into it: " + d);
                assertTrue(d.coverage() >= 0.97, what + ": " + chart + " line is broken: " + d + "\nall: " + drawn);
            }
        }
    }

    @Test
    void a_1000_step_run_draws_every_series_as_one_line() {
        openRun(r1k, 999);
        assertWholeLines("1k steps");
    }

    @Test
    void a_50000_step_run_draws_every_series_as_one_line() {
        openRun(r50k, 49_999);
        assertWholeLines("50k steps");
    }

    @Test
    void a_million_step_run_draws_every_series_as_one_line() {
        openRun(r1m, 999_999);
        assertWholeLines("1M steps");
    }

    @Test
    void a_live_run_stays_whole_after_points_arrive_after_its_buckets_and_after_a_reload() {
        openRun(StoredRuns.idOf(live), LIVE_STEPS - 1);
        assertWholeLines("live, as loaded");
        long to = LIVE_STEPS + 1_200;
        runs.append(live, LIVE_STEPS, to, EVAL, StoredRuns.decaying(200_000));
        live.flush();
        browser.await("live points up to step " + (to - 1), d -> Boolean.TRUE.equals(browser.js(
                "return ['loss', 'acc'].every((c) => Number(document.querySelector('#chart-' + c).dataset.lastStep) >= arguments[0]);", to - 1)));
        assertWholeLines("live, after appends");
        openRun(StoredRuns.idOf(live), to - 1);
        assertWholeLines("live, after a reload");
    }

    /** Non-finite values are real breaks: the loss lines and val_loss draw nothing over steps 400..599, and whole lines elsewhere. */
    @Test
    void non_finite_values_break_the_lines_exactly_where_they_are() {
        openRun(nanRun, 999);
        List<ChartProbe.Drawn> inside = ChartProbe.drawn(browser, "#chart-loss .plot", 410.0, 590.0);
        for (ChartProbe.Drawn d : inside) {
            if (d.label().startsWith("reg_loss")) continue;   // the regularization term stayed finite
            assertEquals(0, d.covered(), "nothing drawn across the NaN stretch: " + d);
        }
        for (double[] span : new double[][] {{0, 345}, {605, 999}}) {
            for (ChartProbe.Drawn d : ChartProbe.drawn(browser, "#chart-loss .plot", span[0], span[1])) {
                assertTrue(d.coverage() >= 0.95, "whole line over steps " + span[0] + ".." + span[1] + ": " + d);
            }
        }
    }
}
