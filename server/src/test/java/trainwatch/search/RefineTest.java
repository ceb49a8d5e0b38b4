package trainwatch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RefineTest {
    private final Space space = Space.of(
            new Param.LogUniform("optimizer.lr", 1e-5, 1),
            new Param.Uniform("dropout", 0, 0.5),
            new Param.Uniform("optimizer.momentum", 0, 0.99),
            new Param.IntLogUniform("batchSize", 16, 256),
            new Param.IntUniform("model.units", 16, 512),
            new Param.Values("optimizer.type", List.of("sgd", "adam", "nesterovs")));

    private static Assignment a(double lr, double dropout, double momentum, long batch, long units, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer.lr", lr);
        m.put("dropout", dropout);
        m.put("optimizer.momentum", momentum);
        m.put("batchSize", batch);
        m.put("model.units", units);
        m.put("optimizer.type", type);
        return new Assignment(m);
    }

    /** 8 complete trials, so the top quarter is the best 2; a pruned and a failed trial that must not count. */
    private List<Trial> trials() {
        List<Trial> t = new ArrayList<>();
        t.add(Trial.complete(a(1e-3, 0.10, 0.99, 32, 100, "adam"), 0.90));
        t.add(Trial.complete(a(1e-2, 0.20, 0.95, 64, 100, "sgd"), 0.85));
        t.add(Trial.complete(a(1e-5, 0.50, 0.10, 256, 16, "nesterovs"), 0.60));
        t.add(Trial.complete(a(0.5, 0.00, 0.50, 16, 512, "nesterovs"), 0.50));
        t.add(Trial.complete(a(1e-4, 0.30, 0.30, 128, 300, "sgd"), 0.40));
        t.add(Trial.complete(a(1e-1, 0.40, 0.20, 200, 400, "adam"), 0.30));
        t.add(Trial.complete(a(3e-5, 0.45, 0.00, 20, 20, "sgd"), 0.20));
        t.add(Trial.complete(a(0.9, 0.05, 0.70, 250, 500, "nesterovs"), 0.10));
        t.add(Trial.pruned(a(0.99, 0.49, 0.01, 255, 510, "nesterovs"), 0.99, 3));
        t.add(Trial.failed(a(0.98, 0.48, 0.02, 254, 509, "nesterovs")));
        return t;
    }

    @Test
    void refine_narrows_to_the_top_quarter_widened_by_ten_percent_of_the_span_in_log_space_for_log_params() {
        Space fine = Refine.narrow(space, trials(), Goal.MAX);
        assertEquals(List.copyOf(space.params().keySet()), List.copyOf(fine.params().keySet()), "same parameters, same order");

        // lr: top values 1e-3 and 1e-2, one decade; +-0.1 decade
        Param.LogUniform lr = (Param.LogUniform) fine.get("optimizer.lr");
        assertEquals(1e-3 * Math.pow(10, -0.1), lr.min(), 1e-12);
        assertEquals(1e-2 * Math.pow(10, 0.1), lr.max(), 1e-12);
        // dropout: 0.1..0.2, +-0.01
        Param.Uniform dropout = (Param.Uniform) fine.get("dropout");
        assertEquals(0.09, dropout.min(), 1e-12);
        assertEquals(0.21, dropout.max(), 1e-12);
        // momentum: 0.95..0.99 +-0.004, clipped to the old max 0.99
        Param.Uniform momentum = (Param.Uniform) fine.get("optimizer.momentum");
        assertEquals(0.946, momentum.min(), 1e-12);
        assertEquals(0.99, momentum.max(), 1e-12);
        // batch: 32..64 in log, +-0.1 octave = 29.86..68.59, rounded outward
        Param.IntLogUniform batch = (Param.IntLogUniform) fine.get("batchSize");
        assertEquals(29, batch.min());
        assertEquals(69, batch.max());
        // units: both top trials used 100: +-5% of the old range (496 * 0.05 = 24.8), rounded outward
        Param.IntUniform units = (Param.IntUniform) fine.get("model.units");
        assertEquals(75, units.min());
        assertEquals(125, units.max());
        // categorical: the choices the top trials used, in the old order
        assertEquals(List.of("sgd", "adam"), ((Param.Values) fine.get("optimizer.type")).choices());
    }

    @Test
    void refining_a_minimised_metric_picks_the_lowest_values_and_no_trials_is_an_error() {
        Space fine = Refine.narrow(space, trials(), Goal.MIN); // now 0.10 and 0.20 are the best two
        Param.LogUniform lr = (Param.LogUniform) fine.get("optimizer.lr");
        assertEquals(3e-5 * Math.pow(0.9 / 3e-5, -0.1), lr.min(), 1e-12);
        assertEquals(1.0, lr.max(), "0.9 widened by 10% of the span in log space passes 1: clipped to the old max");
        assertEquals(List.of("sgd", "nesterovs"), ((Param.Values) fine.get("optimizer.type")).choices());
        InvalidSpaceException e = assertThrows(InvalidSpaceException.class, () -> Refine.narrow(space, List.of(trials().get(9)), Goal.MAX));
        assertEquals("trials", e.field());
    }

    @Test
    void an_edge_warning_fires_for_a_best_value_at_the_edge_and_not_in_the_middle() {
        // best trial: momentum 0.99 is the top of [0, 0.99]; lr 1e-3 sits at 40% of the log range
        List<EdgeWarning> w = EdgeWarning.check(space, trials(), Goal.MAX);
        assertEquals(1, w.size(), w.toString());
        assertEquals("optimizer.momentum", w.get(0).path());
        assertEquals(EdgeWarning.Side.HIGH, w.get(0).side());
        assertEquals("optimizer.momentum: the best trial's value 0.99 is in the highest 5% of [0, 0.99]; the optimum may be higher: widen the range above 0.99", w.get(0).message());

        List<Trial> low = List.of(Trial.complete(a(1.2e-5, 0.25, 0.5, 64, 200, "sgd"), 0.9));
        List<EdgeWarning> lw = EdgeWarning.check(space, low, Goal.MAX);
        assertEquals(1, lw.size(), lw.toString());
        assertEquals(EdgeWarning.Side.LOW, lw.get(0).side());
        assertTrue(lw.get(0).message().startsWith("optimizer.lr: the best trial's value 1.2e-05 is in the lowest 5% of [1e-05, 1] (log scale)"), lw.get(0).message());
        assertTrue(lw.get(0).message().endsWith("widen the range below 1e-05"), lw.get(0).message());

        // 0.04 is in the lowest 5% of [1e-5, 1] on a linear scale but at 72% in log space: no warning
        List<Trial> middle = List.of(Trial.complete(a(0.04, 0.25, 0.5, 64, 200, "sgd"), 0.9));
        assertEquals(List.of(), EdgeWarning.check(space, middle, Goal.MAX));
    }
}
