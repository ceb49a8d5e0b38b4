package trainwatch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GridSamplerTest {
    private final Space space = Space.of(
            new Param.Grid("optimizer.lr", List.of(0.1, 0.01)),
            new Param.Values("model.hidden", List.of(List.of(50), List.of(100), List.of(200, 100))),
            new Param.Grid("l2", List.of(0.0, 1e-4)));

    @Test
    void the_grid_is_the_full_product_in_nested_loop_order_each_point_once_then_exhausted() {
        GridSampler grid = new GridSampler(space);
        assertEquals(12, grid.size());
        List<Assignment> expected = new ArrayList<>();
        for (Object lr : List.of(0.1, 0.01))
            for (Object hidden : List.of(List.of(50), List.of(100), List.of(200, 100)))
                for (Object l2 : List.of(0.0, 1e-4))
                    expected.add(point(lr, hidden, l2));

        List<Trial> history = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 12; i++) {
            Optional<Assignment> next = grid.suggest(history, List.of(), rng);
            assertTrue(next.isPresent(), "exhausted early at " + i);
            assertEquals(expected.get(i), next.get(), "point " + i);
            assertEquals(List.copyOf(expected.get(i).values().keySet()), List.of("optimizer.lr", "model.hidden", "l2"), "declared order of keys");
            history.add(i % 3 == 0 ? Trial.failed(next.get()) : Trial.complete(next.get(), i));
        }
        assertEquals(12, new HashSet<>(history.stream().map(Trial::assignment).toList()).size());
        assertEquals(Optional.empty(), grid.suggest(history, List.of(), rng), "the grid says it is exhausted");
    }

    @Test
    void running_points_are_skipped_and_a_gap_left_by_an_unknown_trial_is_filled() {
        GridSampler grid = new GridSampler(space);
        Assignment first = grid.point(0), second = grid.point(1), third = grid.point(2);
        SplittableRandom rng = new SplittableRandom(1);
        assertEquals(third, grid.suggest(List.of(Trial.complete(first, 0.5)), List.of(second), rng).orElseThrow());
        // a trial finished out of order: the walk fills the first free position
        assertEquals(second, grid.suggest(List.of(Trial.complete(first, 0.5), Trial.complete(third, 0.6)), List.of(), rng).orElseThrow());
        for (long i = 0; i < grid.size(); i++) assertEquals(i, grid.indexOf(grid.point(i)));
    }

    private static Assignment point(Object lr, Object hidden, Object l2) {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("optimizer.lr", lr);
        m.put("model.hidden", hidden);
        m.put("l2", l2);
        return new Assignment(m);
    }
}
