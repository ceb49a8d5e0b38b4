package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

/** `import FILE`: exit 0 with the new run's id on stdout; a bad file exits 2 naming line and field, and writes nothing. */
class ImportCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    int run(String... args) {
        return ImportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void a_csv_export_becomes_a_finished_run_named_as_asked() throws Exception {
        Path f = tmp.resolve("exp.csv");
        Files.writeString(f, "step,t,loss,val_acc\n0,1000,2.5,\n1,1001,NaN,0.25\n1,1002,,-Infinity\n");
        Path runs = tmp.resolve("runs");
        assertEquals(0, run(f.toString(), "--runs", runs.toString(), "--name", "from csv"), err.toString());
        String id = out.toString(StandardCharsets.UTF_8).trim();
        RunStore store = new RunStore(runs, Clock.systemUTC());
        assertEquals(RunStatus.FINISHED, store.state(id).status());
        try (RunReader r = store.reader(id)) {
            assertEquals(List.of("loss", "val_acc"), r.tags());
            assertEquals(3, r.series("loss", 100, Long.MIN_VALUE, Long.MAX_VALUE).total() + r.series("val_acc", 100, Long.MIN_VALUE, Long.MAX_VALUE).total() - 1);
            assertTrue(Double.isNaN(r.series("loss", 100, Long.MIN_VALUE, Long.MAX_VALUE).last()[1]));
        }
        assertTrue(Files.readString(store.dir(id).resolve("config.json")).contains("from csv"));
    }

    @Test
    void a_malformed_file_exits_2_naming_line_and_field_and_writes_nothing() throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":0.5}}\n{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":[1]}}\n");
        Path runs = tmp.resolve("runs");
        assertEquals(2, run(f.toString(), "--runs", runs.toString()));
        assertTrue(err.toString().contains("line 2: values.loss: must be a number"), err.toString());
        assertEquals(List.of(), new RunStore(runs, Clock.systemUTC()).ids(), "nothing was written");
        assertEquals(2, run(tmp.resolve("missing.csv").toString()));
        assertEquals(2, run());
    }
}
