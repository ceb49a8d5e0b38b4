package trainwatch.http;

import io.javalin.http.Context;

import trainwatch.metrics.ServerMetrics;

/** GET /metrics (docs/api.md "Metrics"): the server's figures in Prometheus text format. */
final class MetricsRoutes {
    private final ServerMetrics metrics;

    MetricsRoutes(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void scrape(Context ctx) {
        ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape());
    }
}
