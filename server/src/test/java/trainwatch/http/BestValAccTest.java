package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.live.LiveLimits;
import trainwatch.run.BestValAcc;
import trainwatch.store.RunWriter;

/** The best val_acc (and its step) equals a brute-force max over the stored values, and is recomputed only when new records arrive. */
class BestValAccTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withLimits(LiveLimits.DEFAULT);

    @Test
    void best_val_acc_is_the_first_step_of_the_highest_finite_value_and_is_cached_until_new_records() {
        String id = fixture.server.store.newId();
        fixture.server.store.create(id, "{\"name\":\"best\",\"dataset\":\"spiral\"}", RunStatus.QUEUED, "");
        double[] values = {0.2, Double.NaN, 0.7, 0.5, 0.7, Double.POSITIVE_INFINITY, 0.1};
        try (RunWriter w = fixture.server.store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (int i = 0; i < values.length; i++) w.scalars(10L * i, new String[] {"val_acc"}, new double[] {values[i]});
            w.flush();
            assertBestIs(id, values);

            long computed = BestValAcc.computations(id);
            assertBestIs(id, values);
            assertEquals(computed, BestValAcc.computations(id), "a second GET without new records must not recompute");

            double[] more = {0.2, Double.NaN, 0.7, 0.5, 0.7, Double.POSITIVE_INFINITY, 0.1, Double.NaN, 0.9, 0.9};
            w.scalars(70, new String[] {"val_acc"}, new double[] {more[7]});
            w.scalars(80, new String[] {"val_acc"}, new double[] {more[8]});
            w.scalars(90, new String[] {"val_acc"}, new double[] {more[9]});
            w.flush();
            assertBestIs(id, more);
            assertTrue(BestValAcc.computations(id) > computed, "new records are picked up by a recompute");
            w.status(RunStatus.FINISHED, "");
        }
    }

    /** Brute force over the stored values at steps 0, 10, 20...: NaN/Inf ignored, ties keep the first step. */
    private static void assertBestIs(String id, double[] values) {
        Double best = null;
        Long step = null;
        for (int i = 0; i < values.length; i++)
            if (Double.isFinite(values[i]) && (best == null || values[i] > best)) {
                best = values[i];
                step = 10L * i;
            }
        JsonNode detail = fixture.api.get("/api/runs/" + id).json();
        assertEquals(best, detail.get("best_val_acc").asDouble());
        assertEquals(step, detail.get("best_val_acc_step").asLong());
        // The list is answered from the summary index, which re-reads live runs on its own tick (documented
        // as "within a second"): wait for the row with a generous deadline instead of expecting it at once.
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode row = listRow(id);
        while ((row == null || row.get("best_val_acc").asDouble() != best || row.get("best_val_acc_step").asLong() != step)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            row = listRow(id);
        }
        assertTrue(row != null, "the run is listed");
        assertEquals(best, row.get("best_val_acc").asDouble());
        assertEquals(step, row.get("best_val_acc_step").asLong());
    }

    private static JsonNode listRow(String id) {
        for (JsonNode r : fixture.api.get("/api/runs").json().get("runs")) if (r.get("id").asText().equals(id)) return r;
        return null;
    }
}
