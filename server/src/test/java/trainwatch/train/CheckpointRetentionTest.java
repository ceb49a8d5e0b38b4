package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.RunConfig;
import trainwatch.event.RunStatus;
import trainwatch.testkit.MemoryRunWriter;

/** Issue 16 point 5: a long run keeps final.zip, the best epoch by val_acc and the newest `checkpoints.keep` epochs. */
class CheckpointRetentionTest {
    @TempDir
    Path dir;

    @Test
    void prune_keeps_the_newest_epochs_and_the_best_by_val_acc() throws Exception {
        double[] valAcc = {0.50, 0.91, 0.60, 0.91, 0.70, 0.80, 0.75, 0.85};
        for (int e = 1; e <= valAcc.length; e++) fake(Checkpoints.epochName(e), e * 10L, valAcc[e - 1]);
        fake(Checkpoints.FINAL, 81, 0.86);

        List<String> deleted = Checkpoints.prune(dir, 3);

        assertEquals(List.of("epoch-0001.zip", "epoch-0003.zip", "epoch-0004.zip", "epoch-0005.zip"), deleted.stream().sorted().toList());
        assertEquals(List.of("epoch-0002.zip", "epoch-0006.zip", "epoch-0007.zip", "epoch-0008.zip", "final.zip"), zips(dir),
                "best (the first of two 0.91s), the newest 3, and final");
        assertTrue(Files.notExists(Checkpoints.metaFile(dir.resolve("epoch-0001.zip"))), "a pruned checkpoint's meta goes too");
    }

    @Test
    void a_run_of_many_epochs_keeps_only_what_retention_allows() throws Exception {
        RunConfig base = Fixtures.mlp("spiral", List.of(10), Fixtures.opt("adam", 0.01), 50, 8, 3);
        RunConfig cfg = new RunConfig(base.name(), base.dataset(), base.model(), base.optimizer(), base.schedule(), base.l2(),
                base.dropout(), base.batchSize(), base.epochs(), base.seed(), base.trainSize(), base.valSize(), 2, base.filtersEvery(),
                base.maxIterations(), 0, 2);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainingSession session = new TrainingSession(cfg, Fixtures.spiral(50, 3), out, ProgressObserver.NONE, () -> false, List.of());
        session.minCheckpointGapNanos = 0;

        assertEquals(RunStatus.FINISHED, session.run().status());

        List<String> kept = zips(out.checkpointDir());
        assertTrue(kept.contains("final.zip") && kept.contains("epoch-0007.zip") && kept.contains("epoch-0008.zip"), kept.toString());
        assertTrue(kept.size() <= 4, "final + best + the newest 2, not all 8 epochs: " + kept);
        var saved = Checkpoints.list(out.checkpointDir());
        var best = Checkpoints.best(saved.stream().filter(s -> s.epochNo() != Integer.MAX_VALUE).toList()).orElseThrow();
        assertTrue(Double.isFinite(best.meta().valAcc()), "epoch checkpoints carry the val_acc of their weights");
    }

    private void fake(String name, long step, double valAcc) throws Exception {
        Files.write(dir.resolve(name), new byte[] {1});
        CheckpointMeta.write(Checkpoints.metaFile(dir.resolve(name)), new CheckpointMeta(step, 0, 0, valAcc, 0, 0, Double.NaN, Double.NaN, 0));
    }

    private static List<String> zips(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).sorted().toList();
        }
    }
}
