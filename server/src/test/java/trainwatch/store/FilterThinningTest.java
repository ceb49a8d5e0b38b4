package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;

class FilterThinningTest {
    @TempDir
    Path root;

    @Test
    void snapshots_are_thinned_to_the_bound_keeping_the_first_and_latest_and_spacing_old_ones_out() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("th", "{}", RunStatus.QUEUED, "");
        int[] shape = {2, 1, 2, 2};
        try (RunWriter w = store.openWriter("th"); RunReader r = store.reader("th")) {
            for (long step = 0; step < 1_000 * 25; step += 25) {
                float[] data = new float[8];
                data[0] = step;
                w.filters(step, shape, data);
                if (step % 7 != 0) continue;
                List<Long> kept = r.filterSteps();
                assertTrue(kept.size() <= FilterFiles.KEEP, "bound kept at step " + step + ": " + kept.size());
                assertEquals(step, kept.get(kept.size() - 1), "the latest is always kept");
            }
            List<Long> kept = r.filterSteps();
            assertEquals(FilterFiles.KEEP, kept.size());
            assertEquals(0L, kept.get(0), "the first snapshot is kept");
            long latest = kept.get(kept.size() - 1);
            assertEquals(24_975L, latest);
            // recent snapshots are dense, old ones sparse: gaps grow with age
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < kept.size(); i++) gaps.add(kept.get(i) - kept.get(i - 1));
            assertEquals(25L, gaps.get(gaps.size() - 1));
            double oldGap = gaps.subList(0, 50).stream().mapToLong(Long::longValue).average().orElseThrow();
            double newGap = gaps.subList(gaps.size() - 50, gaps.size()).stream().mapToLong(Long::longValue).average().orElseThrow();
            assertTrue(oldGap > 4 * newGap, "old gaps " + oldGap + " vs recent " + newGap);
            for (long s : kept) {
                var snap = r.filters(s);
                assertNotNull(snap);
                assertEquals((float) s, snap.data()[0]);
                assertArrayEquals(shape, snap.shape());
            }
            w.flush();
            assertEquals(1_000, r.readFrom(0, 10_000).events().size(), "every notice stays in the log");
        }
    }

    @Test
    void thinning_never_picks_the_first_or_the_latest() {
        List<Long> steps = new ArrayList<>(List.of(0L, 1L, 2L, 3L, 100L));
        int v = Thinning.victim(steps, 4);
        assertTrue(v > 0 && v < 4, "victim " + v);
        assertEquals(-1, Thinning.victim(steps, 5));
        assertEquals(1, Thinning.victim(List.of(0L, 1L, 2L, 1000L), 3), "the oldest of a dense old cluster goes first");
    }
}
