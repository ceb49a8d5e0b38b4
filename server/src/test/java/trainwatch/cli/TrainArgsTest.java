package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class TrainArgsTest {
    @Test
    void a_config_file_and_an_optional_runs_dir() throws Exception {
        TrainArgs a = TrainArgs.parse(new String[] {"cfg.json", "--runs", "/tmp/r"});
        assertEquals(Path.of("cfg.json"), a.configFile());
        assertNull(a.runId());
        assertEquals(Path.of("/tmp/r"), a.runsDir());
        assertEquals(Path.of("runs"), TrainArgs.parse(new String[] {"cfg.json"}).runsDir());
        assertEquals(Path.of("x"), TrainArgs.parse(new String[] {"--runs=x", "cfg.json"}).runsDir());
    }

    @Test
    void the_server_form_names_an_existing_run() throws Exception {
        TrainArgs a = TrainArgs.parse(new String[] {"--run", "20261126-1-abcd", "--runs", "r"});
        assertNull(a.configFile());
        assertEquals("20261126-1-abcd", a.runId());
    }

    @Test
    void malformed_command_lines_say_what_is_wrong() {
        assertEquals("missing CONFIG.json", assertThrows(TrainArgs.UsageException.class, () -> TrainArgs.parse(new String[] {})).getMessage());
        assertEquals("--runs needs a value", assertThrows(TrainArgs.UsageException.class, () -> TrainArgs.parse(new String[] {"c.json", "--runs"})).getMessage());
        assertEquals("unknown option --epochs", assertThrows(TrainArgs.UsageException.class, () -> TrainArgs.parse(new String[] {"c.json", "--epochs", "3"})).getMessage());
        assertEquals("give CONFIG.json or --run ID, not both", assertThrows(TrainArgs.UsageException.class, () -> TrainArgs.parse(new String[] {"c.json", "--run", "x"})).getMessage());
        assertEquals("only one CONFIG.json, got a.json and b.json", assertThrows(TrainArgs.UsageException.class, () -> TrainArgs.parse(new String[] {"a.json", "b.json"})).getMessage());
    }
}
