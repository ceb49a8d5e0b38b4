package trainwatch.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.ConfigParser;
import trainwatch.data.Shapes;
import trainwatch.train.Models;

/** Issue 12: an evaluation process killed mid-way reads failed (its status file still says running). */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KilledEvaluationTest {
    @TempDir
    Path runs;

    @Test
    void a_killed_evaluation_reads_failed() throws Exception {
        // 64 copies of an untrained cnn over 5000 validation shapes: long enough to be killed while it runs
        String config = "{\"dataset\": \"shapes\", \"seed\": 3, \"trainSize\": 10, \"valSize\": 5000}";
        Path ckpt = Files.createDirectories(runs.resolve("big").resolve("checkpoints"));
        Files.writeString(runs.resolve("big").resolve("config.json"), config);
        ModelSerializer.writeModel(Models.build(ConfigParser.parse(config), Shapes.generate(10, 10, 3)), ckpt.resolve("final.zip").toFile(), false);
        EnsembleFiles files = new EnsembleFiles(runs);
        String id = files.newId(System.currentTimeMillis());
        List<MemberRef> members = new ArrayList<>(Collections.nCopies(64, new MemberRef("big", MemberRef.FINAL)));
        files.create(new EnsembleSpec(id, "slow", 0, EnsembleSpec.Source.runs(), members, false),
                new EnsembleState(EnsembleState.QUEUED, "", 0, 0));

        Process p = start(runs, "ensemble", "--eval", id, "--runs", runs.toString());
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!files.state(id).status().equals(EnsembleState.RUNNING)) {
                assertTrue(p.isAlive(), "the evaluation ended before it could be killed: " + files.state(id));
                assertTrue(System.nanoTime() < deadline, "the evaluation never said running");
                Thread.onSpinWait();
            }
            assertEquals(p.pid(), files.state(id).pid(), "the status names the evaluating process");
            assertEquals(EnsembleState.RUNNING, files.state(id).resolved().status(), "a live evaluation reads running");
        } finally {
            p.destroyForcibly();
            p.waitFor(2, TimeUnit.MINUTES);
        }
        assertEquals(EnsembleState.RUNNING, files.state(id).status(), "the file still says running");
        EnsembleState seen = files.state(id).resolved();
        assertEquals(EnsembleState.FAILED, seen.status());
        assertTrue(seen.reason().contains("killed"), seen.reason());
    }

    static Process start(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "trainwatch.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("eval-out.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
