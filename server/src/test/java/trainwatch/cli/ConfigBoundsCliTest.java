package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.OutOfBoundsConfigs;

/** Through the CLI entry point: every config just outside a documented bound exits 2 with one line naming the field, and trains nothing. */
class ConfigBoundsCliTest {
    @TempDir
    Path tmp;

    @Test
    void every_just_outside_config_exits_2_naming_the_field() throws IOException {
        Path runs = tmp.resolve("runs");
        int n = 0;
        for (OutOfBoundsConfigs.Case c : OutOfBoundsConfigs.all()) {
            Path config = tmp.resolve("config-" + n++ + ".json");
            Files.writeString(config, c.json());
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Training mustNotRun = (cfg, d, w, p, s) -> {
                throw new AssertionError("trainer called for " + c.json());
            };
            TrainCommand cmd = new TrainCommand(mustNotRun, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), tmp.resolve("data"), false, new StopSignal());
            int code = cmd.execute(new String[] {config.toString(), "--runs", runs.toString()});
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, c.json() + ": " + stderr);
            boolean named = stderr.startsWith("error: " + c.field() + " ") || stderr.startsWith("error: unknown key " + c.field());
            assertTrue(named, c.json() + " must be refused naming " + c.field() + ": " + stderr);
            assertEquals(1, stderr.lines().count(), stderr);
        }
        assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "something was written under runs/");
    }
}
