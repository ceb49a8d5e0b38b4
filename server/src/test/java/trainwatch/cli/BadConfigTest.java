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
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import trainwatch.data.IdxFixtures;

/** Every bad config ends `train` with exit 2, one `error:` line naming the field, and nothing under runs/. */
class BadConfigTest {
    @TempDir
    static Path dataDir; // mnist: a 10-example fixture; fashion-mnist: not set up

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixtures() throws IOException {
        IdxFixtures.dataset(dataDir, "mnist", 10, false);
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("negative lr", "{\"optimizer\": {\"lr\": -1}}", "optimizer.lr must be > 0 (got -1.0)"),
                Arguments.of("batchSize 0", "{\"batchSize\": 0}", "batchSize must be between 1 and 65536 (got 0)"),
                Arguments.of("unknown optimizer", "{\"optimizer\": {\"type\": \"adamw\"}}", "optimizer.type must be one of"),
                Arguments.of("wrong type", "{\"batchSize\": \"abc\"}", "batchSize must be an integer (got \"abc\")"),
                Arguments.of("unknown key", "{\"optimizer\": {\"lrr\": 0.1}}", "unknown key optimizer.lrr"),
                Arguments.of("missing dataset files", "{\"dataset\": \"fashion-mnist\"}", "dataset fashion-mnist is not set up"),
                Arguments.of("absurd hidden size", "{\"model\": {\"hidden\": [10000000]}}", "model.hidden[0] must be between 1 and 8192"),
                Arguments.of("absurd model", "{\"model\": {\"type\": \"mlp\", \"hidden\": [8192, 8192, 8192]}}", "model.hidden makes a model of"),
                Arguments.of("invalid JSON", "{\"epochs\": 3,,}", "config is not valid JSON"),
                Arguments.of("non-object JSON", "[{\"epochs\": 3}]", "config must be a JSON object (got array)"),
                Arguments.of("empty file", "", "config is empty"),
                Arguments.of("epochs 0", "{\"epochs\": 0}", "epochs must be between 1 and 100000 (got 0)"),
                Arguments.of("dropout 1", "{\"dropout\": 1}", "dropout must be in [0, 1) (got 1.0)"),
                Arguments.of("negative l2", "{\"l2\": -0.5}", "l2 must be >= 0 (got -0.5)"),
                Arguments.of("kernel too big for 28x28", "{\"model\": {\"kernel\": 29}}", "model.kernel must be between 1 and 27"),
                Arguments.of("trainSize beyond the dataset", "{\"trainSize\": 1000000}", "trainSize must be between 1 and 60000"),
                Arguments.of("cnn on 2-D points", "{\"dataset\": \"spiral\", \"model\": {\"type\": \"cnn\"}}", "model.type cnn needs image data"),
                Arguments.of("unknown dataset", "{\"dataset\": \"cifar10\"}", "dataset must be one of"),
                Arguments.of("unknown schedule", "{\"schedule\": {\"type\": \"cosine\"}}", "schedule.type must be one of"),
                Arguments.of("evalEvery 0", "{\"evalEvery\": 0}", "evalEvery must be between 1"),
                Arguments.of("name too long", "{\"name\": \"" + "n".repeat(101) + "\"}", "name must be at most 100 characters"),
                Arguments.of("hyperparameter of another optimizer", "{\"optimizer\": {\"type\": \"sgd\", \"beta2\": 0.9}}", "optimizer.beta2 does not apply"),
                Arguments.of("NaN-like huge lr", "{\"optimizer\": {\"lr\": 1e999}}", "optimizer.lr must be a finite number"),
                Arguments.of("duplicate key", "{\"epochs\": 1, \"epochs\": 2}", "config is not valid JSON: Duplicate field 'epochs'"),
                Arguments.of("dataset file smaller than asked", "{\"dataset\": \"mnist\", \"trainSize\": 8, \"valSize\": 5}", "mnist has 10 training examples"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void a_bad_config_exits_2_with_one_line_naming_the_field_and_writes_nothing(String what, String json, String expected) throws IOException {
        Path config = tmp.resolve("config.json");
        Files.writeString(config, json);
        Path runs = tmp.resolve("runs");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Training mustNotRun = (c, d, w, p, s) -> {
            throw new AssertionError("trainer called for a bad config");
        };
        TrainCommand cmd = new TrainCommand(mustNotRun, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dataDir, false, new StopSignal());

        int code = cmd.execute(new String[] {config.toString(), "--runs", runs.toString()});

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, stderr);
        assertTrue(stderr.startsWith("error: " + expected), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "something was written under runs/");
    }
}
