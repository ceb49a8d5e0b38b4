package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import trainwatch.run.Launcher;

/** GET /metrics is Prometheus text that a scraper can parse, and its figures move with what the server does. */
class MetricsTest {
    static final Launcher QUICK = trainwatch.testkit.NoTrainer.LAUNCHER;

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o.withLauncher(QUICK));

    // the text format: https://prometheus.io/docs/instrumenting/exposition_formats/ (0.0.4)
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** Every sample as "name{labels}" -> value; fails on any line that is not Prometheus text. */
    private static Map<String, Double> scrape() {
        Api.Res r = fixture.api.get("/metrics");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        Map<String, Double> out = new HashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty()) continue;
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                if (meta.group(1).equals("TYPE")) {
                    assertTrue(TYPES.contains(meta.group(3)), line);
                    assertTrue(typed.add(meta.group(2)), "one TYPE line per family: " + line);
                }
                continue;
            }
            assertTrue(!line.startsWith("#"), "a comment that is neither HELP nor TYPE: " + line);
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: " + line);
            String name = m.group(1);
            boolean hasType = typed.contains(name) || typed.stream().anyMatch(f -> name.startsWith(f + "_"));
            assertTrue(hasType, "a sample before its family's TYPE line: " + line);
            String key = name + "{" + (m.group(3) == null ? "" : m.group(3).replaceAll(",$", "")) + "}";
            assertTrue(out.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))) == null, "a sample twice: " + line);
        }
        return out;
    }

    /** The sample whose name is {@code name} and whose labels include each of {@code labels} ("k=\"v\""), 0 when absent. */
    private static double value(Map<String, Double> samples, String name, String... labels) {
        for (var e : samples.entrySet()) {
            if (!e.getKey().startsWith(name + "{")) continue;
            boolean all = true;
            for (String l : labels) all &= e.getKey().contains(l);
            if (all) return e.getValue();
        }
        return 0;
    }

    @Test
    void metrics_parse_as_prometheus_text_with_the_servers_figures_and_the_jvms() {
        Map<String, Double> s = scrape();
        for (String name : new String[] {"trainwatch_runs", "trainwatch_runs_started_total", "trainwatch_ingest_rows_total",
                "trainwatch_websocket_clients", "trainwatch_websocket_slow_closed_total", "trainwatch_http_internal_errors_total",
                "trainwatch_http_responses_total", "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files",
                "process_files_max_files"})
            assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith(name + "{")), name + " in " + s.keySet());
        assertEquals(0.0, value(s, "trainwatch_http_internal_errors_total"));
        assertTrue(s.containsKey("trainwatch_runs{executor=\"local\",status=\"running\"}"), s.keySet().toString());
        assertTrue(s.containsKey("trainwatch_runs{executor=\"remote\",status=\"interrupted\"}"), s.keySet().toString());
    }

    @Test
    void ingest_moves_the_rows_counter_and_a_remote_run_counts_as_started_and_running() {
        Map<String, Double> before = scrape();
        Ingest run = Ingest.create(fixture.api, "{\"name\": \"metered\"}");
        assertEquals(25, run.next(run.send(0, Ingest.rows(0, 25))));
        Map<String, Double> after = scrape();
        assertEquals(25.0, value(after, "trainwatch_ingest_rows_total") - value(before, "trainwatch_ingest_rows_total"));
        assertEquals(1.0, value(after, "trainwatch_runs_started_total", "executor=\"remote\"")
                - value(before, "trainwatch_runs_started_total", "executor=\"remote\""));
        assertTrue(value(after, "trainwatch_ingest_batches_total") > value(before, "trainwatch_ingest_batches_total"));
        double runningBefore = value(before, "trainwatch_runs", "executor=\"remote\"", "status=\"running\"");
        Api.await("the remote run counted as running", Duration.ofSeconds(30),
                () -> value(scrape(), "trainwatch_runs", "executor=\"remote\"", "status=\"running\"") == runningBefore + 1);
    }

    @Test
    void a_started_run_moves_the_local_start_counter() {
        double before = value(scrape(), "trainwatch_runs_started_total", "executor=\"local\"");
        Api.Res created = fixture.api.post("/api/runs", "{\"name\": \"metered-local\", \"dataset\": \"spiral\"}");
        assertEquals(201, created.status(), created.body());
        Api.await("the local start counted", Duration.ofSeconds(60),
                () -> value(scrape(), "trainwatch_runs_started_total", "executor=\"local\"") == before + 1);
    }

    @Test
    void open_websocket_clients_are_counted_and_uncounted_when_they_leave() throws Exception {
        double before = value(scrape(), "trainwatch_websocket_clients");
        WsProbe list = WsProbe.open(fixture.api.base, "/api/live", true);
        Api.await("one more client", Duration.ofSeconds(30), () -> value(scrape(), "trainwatch_websocket_clients") == before + 1);
        list.abort();
        Api.await("the client gone", Duration.ofSeconds(30), () -> value(scrape(), "trainwatch_websocket_clients") == before);
    }
}
