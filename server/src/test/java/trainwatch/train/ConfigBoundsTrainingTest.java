package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.ConfigParser;
import trainwatch.config.InBoundsConfigs;
import trainwatch.config.RunConfig;
import trainwatch.data.Datasets;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

/**
 * The model's side of the bounds property: whatever the parser accepts, the
 * trainer builds and steps. A few hundred seeded configs from inside
 * docs/config.md's bounds (edges included), each trained for one step; the
 * only allowed endings are finished and (for the wilder learning rates and l2)
 * diverged, never failed.
 */
class ConfigBoundsTrainingTest {
    @TempDir
    Path dir;

    @Test
    void three_hundred_seeded_in_bounds_configs_each_build_a_network_and_take_one_step() throws Exception {
        InBoundsConfigs gen = new InBoundsConfigs(7_2026);
        Map<RunStatus, Integer> endings = new EnumMap<>(RunStatus.class);
        for (int i = 0; i < 300; i++) {
            String json = gen.next();
            RunConfig cfg = ConfigParser.parse(json, dir);
            MemoryRunWriter out = new MemoryRunWriter(dir.resolve("run" + i));
            TrainOutcome o = Trainer.train(cfg, Datasets.load(cfg, dir), out, ProgressObserver.NONE, () -> false);
            assertTrue(o.status() == RunStatus.FINISHED || o.status() == RunStatus.DIVERGED, "config " + i + " " + o + "\n" + json);
            assertEquals(1, out.scalars.size(), "one step recorded: " + json);
            endings.merge(o.status(), 1, Integer::sum);
        }
        assertTrue(endings.getOrDefault(RunStatus.FINISHED, 0) > 200, "most steps are ordinary: " + endings);
    }
}
