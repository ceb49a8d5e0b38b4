package trainwatch.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.runlist.ManyRuns;

/**
 * Run-list figures for docs/benchmarks.md at 100 / 1,000 / 10,000 generated finished runs
 * (ManyRuns: the store's writer, on /dev/shm): `serve` in a child JVM with -Xmx512m, time to
 * its first answer with no index file (once) and with one (several starts), live heap after a
 * full GC (jcmd, after each start with an index), and the first-page GET /api/runs time (20
 * requests after 5 warm-up ones, per start). Medians with [min-max] over the starts; request
 * times as median [p10-p90] over every request of every start.
 * mvn -B -o -Pbench -pl server test -Dtest=RunListBench  (-Drunlist.bench.sizes=100,1000 to shrink,
 * -Drunlist.bench.starts=5 for more starts per size)
 */
@Tag("bench")
class RunListBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int STARTS = Integer.getInteger("runlist.bench.starts", 3);

    @Test
    void run_list_figures() throws Exception {
        StringBuilder table = new StringBuilder("| runs | generate (s) | first answer, no index (ms) | indexed after (s) | first answer, with index (ms) | live heap after full GC (MB) | first page GET /api/runs (ms) | filtered page (ms) |\n|---|---|---|---|---|---|---|---|\n");
        for (String s : System.getProperty("runlist.bench.sizes", "100,1000,10000").split(",")) {
            int n = Integer.parseInt(s.trim());
            Path root = ManyRuns.freshDir("tw-runlist-bench");
            try {
                long g = System.nanoTime();
                ManyRuns.generate(root.resolve("runs"), n);
                double genS = (System.nanoTime() - g) / 1e9;
                Start cold = serve(root.resolve("runs"), n, true);
                List<Start> warm = new ArrayList<>();
                for (int k = 0; k < STARTS; k++) warm.add(serve(root.resolve("runs"), n, false));
                List<Long> pages = new ArrayList<>(), filtered = new ArrayList<>();
                for (Start w : warm) {
                    pages.addAll(w.pageUs());
                    filtered.addAll(w.filteredUs());
                }
                table.append(String.format("| %,d | %.1f | %d | %.1f | %s | %s | %s | %s |%n", n, genS, cold.firstMs(), cold.indexedMs() / 1000.0,
                        spread(warm.stream().map(Start::firstMs).toList(), 1, "%.0f"),
                        spread(warm.stream().map(Start::heapBytes).toList(), 1048576.0, "%.1f"),
                        percentiles(pages), percentiles(filtered)));
                System.out.println("after " + n + " runs (load " + loadAverage() + "):\n" + table);
            } finally {
                ManyRuns.deleteTree(root);
            }
        }
        System.out.println(table);
    }

    record Start(long firstMs, long indexedMs, long heapBytes, List<Long> pageUs, List<Long> filteredUs) {}

    private Start serve(Path runs, int n, boolean cold) throws Exception {
        if (cold) java.nio.file.Files.deleteIfExists(runs.resolve(".index/summaries.jsonl"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, "trainwatch.Main", "serve", "--port", String.valueOf(port), "--runs", runs.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String base = "http://127.0.0.1:" + port;
            JsonNode first = null;
            while (first == null) {
                try {
                    first = get(base + "/api/runs?limit=100");
                } catch (java.io.IOException notYet) {
                    Thread.sleep(20);
                }
            }
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            if (!cold && first.get("total").asInt() != n) throw new IllegalStateException("the first answer with an index lists " + first.get("total") + " of " + n);
            while (true) {
                JsonNode page = get(base + "/api/runs?limit=1");
                if (!page.get("indexing").asBoolean() && page.get("total").asInt() == n) break;
                Thread.sleep(50);
            }
            long indexedMs = (System.nanoTime() - t0) / 1_000_000;
            List<Long> pageUs = times(base + "/api/runs?limit=100");
            List<Long> filteredUs = times(base + "/api/runs?limit=100&status=finished&q=adam&sort=best_val_acc");
            jcmd(p.pid(), "GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd(p.pid(), "GC.heap_info"));
            long heap = m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
            return new Start(firstMs, indexedMs, heap, pageUs, filteredUs);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** 20 request times (us) after 5 warm-up requests. */
    private static List<Long> times(String url) throws Exception {
        for (int i = 0; i < 5; i++) get(url);
        List<Long> us = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            get(url);
            us.add((System.nanoTime() - t) / 1000);
        }
        return us;
    }

    /** "median [min-max]" of the values divided by unit. */
    private static String spread(List<Long> xs, double unit, String fmt) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return String.format(fmt + " [" + fmt + "-" + fmt + "]", s.get(s.size() / 2) / unit, s.get(0) / unit, s.get(s.size() - 1) / unit);
    }

    /** "median [p10-p90]" in ms of request times in us. */
    private static String percentiles(List<Long> us) {
        List<Long> s = new ArrayList<>(us);
        s.sort(null);
        return String.format("%.1f [%.1f-%.1f]", s.get(s.size() / 2) / 1000.0, s.get(s.size() / 10) / 1000.0, s.get(s.size() * 9 / 10) / 1000.0);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        return Json.tree(r.body());
    }

    private static String jcmd(long pid, String cmd) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), cmd)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }
}
