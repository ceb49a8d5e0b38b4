package trainwatch.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import trainwatch.testkit.ServerProcess;
import trainwatch.testkit.SweepFiles;

/**
 * The sweep page with 10,000 trials (docs/benchmarks.md "## Sweep page"), in headless Chromium
 * against the real server in a child JVM:
 * mvn -B -o -Pbench -pl server test -Dtest=SweepPageBench
 * First render: navigation start until the table, parallel coordinates, scatters, best-so-far
 * and curves have drawn (includes fetching and parsing the 10,000-trial detail). Brush: one
 * brush change on an axis until the page has redrawn everything (script time), and until the
 * next frame after it (two animation frames: the browser painted it).
 */
@Tag("bench")
class SweepPageBench {
    static final int TRIALS = Integer.getInteger("bench.sweep.trials", 10_000);

    static final String BRUSHES = """
            const out = [], frames = [], parts = {};
            const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            for (let k = 0; k < 40; k++) {
              const t = performance.now();
              twSweep.brush(k % 5, [0.1 + 0.01 * k, 0.7 - 0.005 * k]);
              out.push(performance.now() - t);
              for (const [k, v] of Object.entries(twSweepStats.parts || {})) (parts[k] = parts[k] || []).push(v);
              await frame();
              frames.push(performance.now() - t);
            }
            twSweep.clear();
            return {sync: out, frame: frames, parts, visible: twSweep.visible()};""";

    @Test
    void first_render_and_brushing_with_10k_trials() throws Exception {
        Path root = Files.createTempDirectory("tw-bench-sweep");
        long t0 = System.nanoTime();
        SweepFiles sweep = SweepFiles.write(root.resolve("runs"), "bench-10k", TRIALS, false);
        System.out.printf("wrote a %d-trial sweep in %.1f s%n", TRIALS, (System.nanoTime() - t0) / 1e9);
        // the screenshot's sweep: 1,000 trials, each a run with its val_acc curve
        SweepFiles shot = SweepFiles.write(root.resolve("runs"), "spiral-lr-l2-dropout", Integer.getInteger("bench.sweep.shot", 1000), true);
        try (ServerProcess server = new ServerProcess(root.resolve("runs")).start(); Browser b = new Browser()) {
            List<Double> first = new ArrayList<>(), route = new ArrayList<>(), sync = new ArrayList<>(), frame = new ArrayList<>();
            Map<String, List<Double>> parts = new java.util.TreeMap<>();
            for (int round = 0; round < 6; round++) {
                b.driver.get("about:blank");
                b.driver.get(server.url() + "#/sweep/" + sweep.id);
                b.await("the first render", d -> b.js("return window.twSweepStats && window.twSweepStats.sinceNavigationMs") != null);
                double nav = ((Number) b.js("return twSweepStats.sinceNavigationMs")).doubleValue();
                double inRoute = ((Number) b.js("return twSweepStats.firstRenderMs")).doubleValue();
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) b.js("return (async () => {" + BRUSHES + "})()");
                @SuppressWarnings("unchecked")
                List<Number> s = (List<Number>) r.get("sync");
                @SuppressWarnings("unchecked")
                List<Number> f = (List<Number>) r.get("frame");
                System.out.printf("round %d: first render %.0f ms after navigation start (%.0f ms after the route began); brush median %.1f ms, to next frame %.1f ms%n",
                        round, nav, inRoute, median(s), median(f));
                if (round == 0) continue; // warms the server's caches and the browser's module cache
                first.add(nav);
                route.add(inRoute);
                s.forEach(x -> sync.add(x.doubleValue()));
                f.forEach(x -> frame.add(x.doubleValue()));
                @SuppressWarnings("unchecked")
                Map<String, List<Number>> p = (Map<String, List<Number>>) r.get("parts");
                p.forEach((k, xs) -> xs.forEach(x -> parts.computeIfAbsent(k, q -> new ArrayList<>()).add(x.doubleValue())));
            }
            screenshot(b, server.url() + "#/sweep/" + shot.id);
            report("first render, navigation start to everything drawn (ms)", first);
            report("first render, route entered to everything drawn (ms)", route);
            report("brush update, script time (ms)", sync);
            report("brush update, to the next painted frame (ms)", frame);
            parts.forEach((k, xs) -> report("  brush part " + k + " (ms)", xs));
        }
    }

    /** docs/screenshots/sweep-page.png: the 1,000-trial sweep with optimizer.lr brushed and the best 5 selected. */
    static void screenshot(Browser b, String url) throws Exception {
        b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1950));
        b.driver.get("about:blank");
        b.driver.get(url);
        b.await("the first render", d -> b.js("return window.twSweepStats && window.twSweepStats.sinceNavigationMs") != null);
        b.js("twSweep.brush(0, [0.55, 0.95])");
        b.driver.findElement(org.openqa.selenium.By.id("select-best")).click();
        Thread.sleep(4000); // a picture, not a measurement: let the selected trials' curves arrive
        byte[] png = ((org.openqa.selenium.TakesScreenshot) b.driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        Path out = ServerProcess.repoRoot().resolve("docs/screenshots/sweep-page.png");
        Files.write(out, png);
        System.out.println("screenshot: " + out);
        b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
    }

    static double median(List<Number> v) {
        List<Double> d = new ArrayList<>();
        v.forEach(x -> d.add(x.doubleValue()));
        Collections.sort(d);
        return d.get(d.size() / 2);
    }

    static void report(String what, List<Double> v) {
        List<Double> d = new ArrayList<>(v);
        Collections.sort(d);
        System.out.printf("%s: median %.1f, p10 %.1f, p90 %.1f, min %.1f, max %.1f (n=%d)%n", what, d.get(d.size() / 2),
                d.get(d.size() / 10), d.get(d.size() * 9 / 10), d.get(0), d.get(d.size() - 1), d.size());
    }
}
