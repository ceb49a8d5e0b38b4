package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit code of the real `train` process (Main's System.exit, the shutdown hook) for a bad config. */
class TrainProcessExitTest {
    @TempDir
    Path tmp;

    @Test
    void a_bad_config_exits_2_from_a_real_process_with_one_line_and_no_run() throws Exception {
        Files.writeString(tmp.resolve("bad.json"), "{\"optimizer\": {\"lr\": -1}}");
        Process p = ChildJvm.start(tmp, tmp.resolve("data"), "train", "bad.json", "--runs", "runs");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "train did not end");
        assertEquals(2, p.exitValue());
        assertEquals("error: optimizer.lr must be > 0 (got -1.0)\n", Files.readString(tmp.resolve("stderr.txt")));
        assertFalse(Files.exists(tmp.resolve("runs")));
    }
}
