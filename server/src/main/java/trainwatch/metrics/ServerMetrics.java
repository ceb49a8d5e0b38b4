package trainwatch.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import trainwatch.event.RunStatus;
import trainwatch.run.RunEntry;

/**
 * The server's own figures for GET /metrics in Prometheus text format (docs/api.md "Metrics"): runs by
 * status and executor, runs started, ingest rows, WebSocket clients and slow clients closed, responses
 * and internal errors, and the JVM (memory, GC, threads, CPU, uptime). Most figures are read from their
 * owners at scrape time (functions, not copies), so nothing here sits on a hot path.
 */
public final class ServerMetrics implements AutoCloseable {
    public static final String LOCAL = "local";
    public static final String REMOTE = "remote";
    /** Prometheus text format 0.0.4, what every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge runs;
    private final Supplier<? extends Collection<RunEntry>> entries;
    private volatile Function<RunEntry, String> executorOf = e -> e.remote() != null ? REMOTE : LOCAL;
    private final Set<String> executors = new CopyOnWriteArraySet<>(List.of(LOCAL, REMOTE));
    /** Micrometer holds a function meter's state weakly: the suppliers are kept here so they live as long as the registry. */
    private final List<LongSupplier> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** entries: every run the server lists (the run index). */
    public ServerMetrics(Supplier<? extends Collection<RunEntry>> entries) {
        this.entries = entries;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry); // open vs max descriptors: the first limit a busy ingest server meets
        runs = MultiGauge.builder("trainwatch.runs").description("Runs by status and executor (archived ones included)").register(registry);
        for (String ex : executors) runStartedCounter(ex);
    }

    /**
     * Which executor a run belongs to (default: "remote" for a run sent through the ingest API, else "local"). Another
     * executor (kubernetes) installs its own, falling back to the one it replaces; each name it returns gets its rows.
     */
    public void executorOf(Function<RunEntry, String> f) {
        this.executorOf = f;
    }

    public Function<RunEntry, String> executorOf() {
        return executorOf;
    }

    /** A run's trainer started (a local child, a remote trainer's first contact, a Job): trainwatch_runs_started_total{executor}. */
    public void runStarted(String executor) {
        executors.add(executor);
        runStartedCounter(executor).increment();
    }

    private io.micrometer.core.instrument.Counter runStartedCounter(String executor) {
        return registry.counter("trainwatch.runs.started", "executor", executor);
    }

    /** A monotonic count read at scrape time, exposed as NAME_total. */
    public void counter(String name, String description, LongSupplier value, String... tags) {
        held.add(value);
        FunctionCounter.builder(name, value, v -> v.getAsLong()).description(description).tags(tags).register(registry);
    }

    /** A value read at scrape time. */
    public void gauge(String name, String description, LongSupplier value, String... tags) {
        held.add(value);
        Gauge.builder(name, value, v -> v.getAsLong()).description(description).tags(tags).register(registry);
    }

    /** The text a Prometheus server scrapes; the per-status run counts are taken now. */
    public String scrape() {
        refreshRuns();
        return registry.scrape();
    }

    private void refreshRuns() {
        Function<RunEntry, String> ex = executorOf;
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        Set<String> names = new LinkedHashSet<>(executors);
        for (RunEntry e : entries.get()) {
            String executor = ex.apply(e);
            if (executor == null || executor.isBlank()) executor = LOCAL;
            names.add(executor);
            counts.computeIfAbsent(executor, k -> new TreeMap<>()).computeIfAbsent(e.status(), k -> new long[1])[0]++;
        }
        executors.addAll(names);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String executor : names) {
            Map<String, long[]> byStatus = counts.getOrDefault(executor, Map.of());
            Set<String> statuses = new LinkedHashSet<>();
            for (RunStatus s : RunStatus.values()) statuses.add(s.wire());
            statuses.addAll(byStatus.keySet());
            for (String status : statuses) {
                long[] n = byStatus.get(status);
                rows.add(MultiGauge.Row.of(Tags.of("status", status, "executor", executor), n == null ? 0 : n[0]));
            }
        }
        runs.register(rows, true);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
