package trainwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;

/** The run list's sweep field and filter come from a trial run's sweep.json (written with the run). */
class SweepFieldTest {
    @TempDir
    Path runs;

    @Test
    void a_trial_run_lists_its_sweep_and_the_sweep_filter_keeps_only_its_trials() {
        RunStore store = new RunStore(runs, Clock.systemUTC());
        String plain = store.newId();
        store.create(plain, "{\"name\": \"plain\", \"dataset\": \"spiral\"}", RunStatus.FINISHED, "");
        String trial = store.newId();
        store.create(trial, "{\"name\": \"t #0\", \"dataset\": \"spiral\"}", RunStatus.PRUNED, "pruned at rung 0 (epoch 1): ...",
                Map.of("sweep.json", "{\"sweep\": \"s20261203-140501-k3f9\", \"trial\": 0, \"values\": {\"l2\": 0.01}}".getBytes(StandardCharsets.UTF_8)));
        try (ReaderPool readers = new ReaderPool(store); RunIndex index = new RunIndex(store, readers, Clock.systemUTC())) {
            index.touch(plain);
            index.touch(trial);
            assertEquals("s20261203-140501-k3f9", index.get(trial).sweep());
            assertEquals("pruned", index.get(trial).status());
            assertNull(index.get(plain).sweep());
            RunQuery q = RunQuery.parse(Map.of("sweep", "s20261203-140501-k3f9")::get);
            assertEquals(java.util.List.of(trial), q.page(index.entries(), false).runs().stream().map(RunEntry::id).toList());
            RunQuery pruned = RunQuery.parse(Map.of("status", "pruned")::get);
            assertEquals(java.util.List.of(trial), pruned.page(index.entries(), false).runs().stream().map(RunEntry::id).toList());
        }
    }
}
