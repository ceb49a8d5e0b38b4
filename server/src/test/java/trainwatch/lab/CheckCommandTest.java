package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.cli.CheckCommand;
import trainwatch.config.ConfigParser;
import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

class CheckCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String... args) {
        return CheckCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String json) throws IOException {
        Path p = dir.resolve("config.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void overfit_passes_with_exit_0_and_reports_the_iterations() throws IOException {
        Path c = config("{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [50]}, \"optimizer\": {\"type\": \"adam\", \"lr\": 0.02}}");
        assertEquals(0, check("overfit", c.toString()), err());
        assertTrue(out().contains("Result: PASS (overfit 20 examples in "), out());
        assertTrue(out().contains("Initial loss: initial data loss"), out());
    }

    @Test
    void overfit_of_a_one_unit_model_exits_1_with_the_numbers_that_failed() throws IOException {
        Path c = config("{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [1]}, \"optimizer\": {\"type\": \"adam\", \"lr\": 0.02}}");
        assertEquals(1, check("overfit", c.toString(), "--max-iterations", "150"), err());
        assertTrue(out().contains("Result: FAIL (could not overfit 20 examples in 150 iterations"), out());
        assertTrue(out().contains("(needs 1.00)") || out().contains("(needs < 0.01)"), out());
    }

    @Test
    void a_bad_config_exits_2_with_one_line_naming_the_field() throws IOException {
        Path c = config("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": -1}}");
        assertEquals(2, check("gradients", c.toString()));
        assertEquals("error: optimizer.lr must be > 0 (got -1.0)", err().strip());
        assertEquals("", out());
    }

    @Test
    void an_unknown_check_or_a_missing_file_exits_2() {
        assertEquals(2, check("speed", "x.json"));
        assertTrue(err().contains("unknown check speed"), err());
        assertEquals(2, check("overfit", dir.resolve("nope.json").toString()));
        assertTrue(err().contains("no such file"), err());
    }

    @Test
    void gradients_for_a_run_writes_its_result_where_the_run_reader_finds_it() throws Exception {
        RunStore store = new RunStore(dir.resolve("runs"), Clock.systemUTC());
        String id = store.newId();
        store.create(id, ConfigParser.toJson(ConfigParser.parse("{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [20, 20]}}")),
                RunStatus.FINISHED, "");
        assertEquals(0, check("gradients", "--run", id, "--runs", store.root().toString()), err());
        Path file = store.dir(id).resolve("checks").resolve("gradients.json");
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        assertEquals("pass", n.get("outcome").asText(), n.toString());
        assertTrue(n.get("wallMs").asLong() > 0);
        JsonNode phases = n.get("details").get("phases");
        assertEquals("data", phases.get(0).get("phase").asText());
        assertEquals("data+l2", phases.get(1).get("phase").asText());
        assertEquals(3, phases.get(0).get("layers").size(), "dense1, dense2, output");
        assertTrue(phases.get(0).get("layers").get(0).get("maxRelError").asDouble() < 1e-4);
        assertTrue(n.get("details").get("dataLoss").asText().startsWith("dense1 max "), "flat per-layer line for simple pages");
        try (RunReader reader = store.reader(id)) {
            CheckResult r = reader.checks().stream().filter(c -> c.check().equals("gradients")).findFirst().orElseThrow();
            assertEquals("pass", r.outcome());
            assertEquals(n.get("summary").asText(), r.summary());
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    @Test
    void a_run_whose_config_went_bad_gets_a_fail_file_not_an_endless_running_one() throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs").resolve("r-2"));
        Files.writeString(run.resolve("config.json"), "{\"dataset\": \"spiral\", \"l2\": -3}");
        assertEquals(2, check("overfit", "--run", "r-2", "--runs", dir.resolve("runs").toString()));
        JsonNode n = new ObjectMapper().readTree(run.resolve("checks").resolve("overfit.json").toFile());
        assertEquals("fail", n.get("outcome").asText());
        assertTrue(n.get("summary").asText().startsWith("bad config: l2"), n.toString());
    }

    @Test
    void an_unknown_run_exits_2_and_creates_nothing() {
        assertEquals(2, check("overfit", "--run", "nope", "--runs", dir.toString()));
        assertFalse(Files.exists(dir.resolve("nope")));
        assertEquals(2, check("overfit", "--run", "../x", "--runs", dir.toString()));
        assertTrue(err().contains("invalid run id"), err());
    }
}
