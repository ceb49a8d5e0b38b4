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
 * its first answer with no index file and again with one, live heap after a full GC (jcmd),
 * and the first-page GET /api/runs time (median of 20).
 * mvn -B -o -Pbench -pl server test -Dtest=RunListBench  (-Drunlist.bench.sizes=100,1000 to shrink)
 */
@Tag("bench")
class RunListBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void run_list_figures() throws Exception {
        StringBuilder table = new StringBuilder("| runs | generate (s) | first answer, no index (ms) | indexed after (s) | first answer, with index (ms) | live heap after full GC (MB) | first page GET /api/runs, median (ms) | filtered page (ms) |\n|---|---|---|---|---|---|---|---|\n");
        for (String s : System.getProperty("runlist.bench.sizes", "100,1000,10000").split(",")) {
            int n = Integer.parseInt(s.trim());
            Path root = ManyRuns.freshDir("tw-runlist-bench");
            try {
                long g = System.nanoTime();
                ManyRuns.generate(root.resolve("runs"), n);
                double genS = (System.nanoTime() - g) / 1e9;
                long[] cold = serve(root.resolve("runs"), n, true);
                long[] warm = serve(root.resolve("runs"), n, false);
                table.append(String.format("| %,d | %.1f | %d | %.1f | %d | %.1f | %.1f | %.1f |%n", n, genS, cold[0], cold[1] / 1000.0, warm[0],
                        warm[2] / 1048576.0, warm[3] / 1000.0, warm[4] / 1000.0));
            } finally {
                ManyRuns.deleteTree(root);
            }
        }
        System.out.println(table);
    }

    /** {first answer ms, indexed after ms, live heap bytes, first page median us, filtered page median us}. */
    private long[] serve(Path runs, int n, boolean cold) throws Exception {
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
            while (true) {
                JsonNode page = get(base + "/api/runs?limit=1");
                if (!page.get("indexing").asBoolean() && page.get("total").asInt() == n) break;
                Thread.sleep(50);
            }
            long indexedMs = (System.nanoTime() - t0) / 1_000_000;
            long pageUs = median(base + "/api/runs?limit=100");
            long filteredUs = median(base + "/api/runs?limit=100&status=finished&q=adam&sort=best_val_acc");
            jcmd(p.pid(), "GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd(p.pid(), "GC.heap_info"));
            long heap = m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
            return new long[] {firstMs, indexedMs, heap, pageUs, filteredUs};
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static long median(String url) throws Exception {
        for (int i = 0; i < 5; i++) get(url);
        List<Long> us = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            get(url);
            us.add((System.nanoTime() - t) / 1000);
        }
        us.sort(null);
        return us.get(10);
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
