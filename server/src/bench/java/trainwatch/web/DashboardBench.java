package trainwatch.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.testkit.ServerProcess;

/**
 * Dashboard figures for docs/benchmarks.md "## Dashboard":
 * mvn -B -o -Pbench -pl server test -Dtest=DashboardBench
 * (set -Dbench.stream.minutes=10 for the full heap run, default 3; -Dbench.frame.rate=1000 for the frame run at 1k steps/s, default 10k).
 */
@Tag("bench")
class DashboardBench {
    static final String[] CHARTS = {"loss", "acc", "ratio", "lr"};

    @Test
    void opening_a_million_step_run_page_until_every_chart_drew() throws Exception {
        Path root = Files.createTempDirectory("tw-bench-open");
        RunStore store = SyntheticRun.store(root.resolve("runs"));
        long t0 = System.nanoTime();
        String id = SyntheticRun.writeFinished(store, "million-steps", 1_000_000);
        System.out.printf("wrote 1,000,000 steps x 11 tags in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        try (ServerProcess server = new ServerProcess(root.resolve("runs")).start(); Browser b = new Browser()) {
            List<Double> times = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                b.driver.get("about:blank");
                b.driver.get(server.url() + "#/run/" + id);
                b.await("every chart drew", d -> allDrawn(b));
                double ms = lastFirstDraw(b);
                if (round > 0) times.add(ms); // round 0 warms the server's caches and the browser's module cache
                System.out.printf("round %d: every chart drawn %.0f ms after navigation start (%s points in the loss chart); %s%n",
                        round, ms, b.js("return document.querySelector('#chart-loss').dataset.points"), b.js(BREAKDOWN));
            }
            report("open 1M-step run page, every chart drawn (ms)", times);
        }
    }

    /** Where the time went: scripts loaded, run detail answered, last scalars answered (ms since navigation start). */
    static final String BREAKDOWN = """
            const r = performance.getEntriesByType('resource');
            const end = (f) => Math.round(Math.max(0, ...r.filter(f).map(e => e.responseEnd)));
            const start = (f) => Math.round(Math.min(...r.filter(f).map(e => e.startTime)));
            return 'scripts ' + end(e => e.name.endsWith('.js')) + ', detail ' + end(e => /api\\/runs\\/[^/]+$/.test(e.name))
              + ', scalars ' + start(e => e.name.includes('/scalars')) + '..' + end(e => e.name.includes('/scalars'));""";

    static boolean allDrawn(Browser b) {
        for (String c : CHARTS) {
            Object v = b.js("const e = document.querySelector('#chart-' + arguments[0]); return e && e.dataset.firstDrawMs ? 1 : 0;", c);
            if (((Number) v).intValue() == 0) return false;
        }
        return true;
    }

    static double lastFirstDraw(Browser b) {
        Object v = b.js("return Math.max(...['loss','acc','ratio','lr'].map(c => Number(document.querySelector('#chart-' + c).dataset.firstDrawMs)))");
        return ((Number) v).doubleValue();
    }

    @Test
    void js_heap_while_streaming_1k_points_per_second() throws Exception {
        int minutes = Integer.getInteger("bench.stream.minutes", 3);
        stream(1_000, minutes * 60, true);
    }

    @Test
    void frame_time_while_streaming_10k_points_per_second() throws Exception {
        stream(Integer.getInteger("bench.frame.rate", 10_000), 40, false);
    }

    /** A synthetic trainer writes `rate` steps/s (x11 tags) into a run the open page follows live. */
    void stream(int rate, int seconds, boolean heap) throws Exception {
        Path root = Files.createTempDirectory("tw-bench-stream");
        RunStore store = SyntheticRun.store(root.resolve("runs"));
        String id = SyntheticRun.create(store, "stream-" + rate, RunStatus.RUNNING);
        // the writer holds the run before the server starts, so the server never launches a trainer for it
        RunWriter w = store.openWriter(id);
        w.status(RunStatus.RUNNING, "");
        w.flush();
        AtomicBoolean stop = new AtomicBoolean();
        long[] written = new long[1];
        Thread writer = new Thread(() -> {
            SyntheticRun gen = new SyntheticRun();
            try (w) {
                long start = System.nanoTime(), step = 0;
                while (!stop.get()) {
                    long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                    while (step < due) gen.step(w, step++);
                    w.flush();
                    written[0] = step;
                    Thread.sleep(10);
                }
                w.status(RunStatus.STOPPED, "benchmark over");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "synthetic-trainer");
        try (ServerProcess server = new ServerProcess(root.resolve("runs")).start();
             Browser b = new Browser("--enable-precise-memory-info", "--js-flags=--expose-gc")) {
            writer.start();
            b.driver.get(server.url() + "#/run/" + id);
            b.await("live", d -> "live".equals(d.findElement(org.openqa.selenium.By.id("live-indicator")).getText()));
            b.await("points", d -> ReconnectBrowserTest.step(b) > 0);
            if (heap) heapRun(b, seconds, written);
            else frameRun(b, seconds, written);
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }

    void heapRun(Browser b, int seconds, long[] written) throws InterruptedException {
        List<Double> samples = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(15_000);
            double mb = ((Number) b.js("window.gc && window.gc(); return performance.memory.usedJSHeapSize / 1048576;")).doubleValue();
            samples.add(mb);
            System.out.printf("t=%ds heap %.1f MB after gc, %d steps written, page at step %d%n",
                    samples.size() * 15, mb, written[0], ReconnectBrowserTest.step(b));
        }
        System.out.printf("RESULT heap MB after gc: first %.1f, last %.1f, max %.1f over %d s at 1k steps/s (x11 tags)%n",
                samples.get(0), samples.get(samples.size() - 1), samples.stream().mapToDouble(d -> d).max().orElse(0), seconds);
    }

    void frameRun(Browser b, int seconds, long[] written) throws InterruptedException {
        b.js("Object.assign(window.twStats, {msgs: 0, msgMs: 0, frames: 0, drawMs: 0});");
        b.js("window.__frames = []; let last = performance.now(); const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stopFrames) requestAnimationFrame(tick); }; requestAnimationFrame(tick);");
        int drawnBefore = Integer.parseInt((String) b.js("return document.querySelector('#chart-loss').dataset.drawn"));
        long stepBefore = ReconnectBrowserTest.step(b);
        Thread.sleep(seconds * 1000L);
        b.js("window.__stopFrames = true;");
        @SuppressWarnings("unchecked")
        List<Number> frames = (List<Number>) b.js("return window.__frames.slice(1)");
        System.out.println("page work: " + b.js("const s = window.twStats; return s.msgs + ' messages took ' + Math.round(s.msgMs) + ' ms, ' + s.frames + ' chart frames took ' + Math.round(s.drawMs) + ' ms'"));
        int drawnAfter = Integer.parseInt((String) b.js("return document.querySelector('#chart-loss').dataset.drawn"));
        long stepAfter = ReconnectBrowserTest.step(b);
        double[] f = frames.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        System.out.printf("RESULT frame interval ms over %d s at " + Integer.getInteger("bench.frame.rate", 10_000) + " steps/s: median %.1f, p95 %.1f, p99 %.1f, max %.1f; %d frames, "
                        + "%d loss-chart redraws, page followed %d steps (%d written)%n",
                seconds, pct(f, 50), pct(f, 95), pct(f, 99), f[f.length - 1], f.length, drawnAfter - drawnBefore,
                stepAfter - stepBefore, written[0]);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100 * sorted.length))];
    }

    static void report(String what, List<Double> xs) {
        double[] s = xs.stream().mapToDouble(d -> d).sorted().toArray();
        System.out.printf("RESULT %s: median %.0f, min %.0f, max %.0f (n=%d) %s%n", what, pct(s, 50), s[0], s[s.length - 1], s.length,
                Arrays.toString(s));
    }

}
