package trainwatch.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
    @TempDir
    Path data; // empty: no file-backed dataset is set up

    RunConfig parse(String json) throws ConfigException {
        return ConfigParser.parse(json, data);
    }

    List<FieldError> errors(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).errors();
    }

    String firstLine(String json) {
        return errors(json).get(0).line();
    }

    @Test
    void an_empty_object_gets_the_documented_shapes_cnn_defaults() throws Exception {
        RunConfig c = parse("{}");
        assertEquals("shapes", c.dataset());
        assertEquals("shapes-cnn-adam", c.name());
        assertEquals(new RunConfig.ModelConfig("cnn", List.of(64), 8, 5), c.model());
        assertEquals(new RunConfig.OptimizerConfig("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8, 0.99), c.optimizer());
        assertEquals("constant", c.schedule().type());
        assertEquals(1e-4, c.l2());
        assertEquals(0.0, c.dropout());
        assertEquals(64, c.batchSize());
        assertEquals(3, c.epochs());
        assertEquals(42, c.seed());
        assertEquals(6000, c.trainSize());
        assertEquals(1000, c.valSize());
        assertEquals(50, c.evalEvery());
        assertEquals(25, c.filtersEvery());
        assertEquals(0, c.maxIterations());
    }

    @Test
    void spiral_defaults_to_cs231n_setup_of_a_full_batch_sgd_mlp() throws Exception {
        RunConfig c = parse("{\"dataset\": \"spiral\"}");
        assertEquals(new RunConfig.ModelConfig("mlp", List.of(100), 8, 5), c.model());
        assertEquals("sgd", c.optimizer().type());
        assertEquals(1.0, c.optimizer().lr());
        assertEquals(1e-3, c.l2());
        assertEquals(300, c.trainSize());
        assertEquals(300, c.batchSize());
        assertEquals(150, c.valSize());
        assertEquals(2000, c.epochs());
    }

    @Test
    void a_given_optimizer_type_gets_its_own_usual_learning_rate() throws Exception {
        assertEquals(0.01, parse("{\"optimizer\": {\"type\": \"sgd\"}}").optimizer().lr());
        assertEquals(1e-6, parse("{\"optimizer\": {\"type\": \"adagrad\"}}").optimizer().eps());
        assertEquals(1.0, parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\"}}").optimizer().lr());
        assertEquals(1.0, parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}}").optimizer().lr());
    }

    @Test
    void the_design_example_parses_with_every_value_kept() throws Exception {
        RunConfig c = parse("""
                { "name": "shapes-adam", "dataset": "shapes",
                  "model": {"type": "cnn", "filters": 8, "kernel": 5, "hidden": [64]},
                  "optimizer": {"type": "adam", "lr": 0.001},
                  "schedule": {"type": "step", "factor": 0.5, "every": 2, "unit": "epoch"},
                  "l2": 0.0001, "dropout": 0.0, "batchSize": 64, "epochs": 3, "seed": 42,
                  "trainSize": 6000, "valSize": 1000, "evalEvery": 50, "filtersEvery": 25 }""");
        assertEquals("shapes-adam", c.name());
        assertEquals(new RunConfig.ScheduleConfig("step", 0.5, 2, "epoch", 0.95, 1.0, 3, 1e-6), c.schedule());
    }

    @Test
    void negative_learning_rate_is_reported_with_field_and_value() {
        assertEquals("optimizer.lr must be > 0 (got -1.0)", firstLine("{\"optimizer\": {\"lr\": -1}}"));
    }

    @Test
    void a_string_where_an_integer_belongs_is_a_type_error_quoting_the_value() {
        assertEquals("batchSize must be an integer (got \"abc\")", firstLine("{\"batchSize\": \"abc\"}"));
        assertEquals("batchSize must be an integer (got 64.5)", firstLine("{\"batchSize\": 64.5}"));
        assertEquals("optimizer.lr must be a number (got \"0.1\")", firstLine("{\"optimizer\": {\"lr\": \"0.1\"}}"));
        assertEquals("model must be an object (got [1,2])", firstLine("{\"model\": [1,2]}"));
    }

    @Test
    void an_integral_float_counts_as_an_integer() throws Exception {
        assertEquals(64, parse("{\"batchSize\": 64.0}").batchSize());
    }

    @Test
    void an_unknown_key_is_rejected_with_a_hint() {
        List<FieldError> e = errors("{\"optimizer\": {\"lrr\": 0.1}}");
        assertEquals("optimizer.lrr", e.get(0).field());
        assertEquals("unknown key optimizer.lrr (did you mean lr?)", e.get(0).line());
        assertEquals("unknown key colour", firstLine("{\"colour\": 1}"));
    }

    @Test
    void every_problem_is_reported_first_one_first() {
        List<FieldError> e = errors("""
                {"optimizer": {"lr": -1, "type": "adam"}, "batchSize": 0, "epochs": 0, "dropout": 1.0, "l2": -0.1,
                 "evalEvery": 0, "filtersEvery": 0, "name": "%s"}""".formatted("x".repeat(101)));
        List<String> fields = e.stream().map(FieldError::field).toList();
        assertEquals(List.of("name", "optimizer.lr", "l2", "dropout", "batchSize", "epochs", "evalEvery", "filtersEvery"), fields);
        assertEquals("batchSize must be between 1 and 65536 (got 0)", e.get(4).line());
        assertEquals("dropout must be in [0, 1) (got 1.0)", e.get(3).line());
    }

    @Test
    void hyperparameters_a_type_does_not_use_are_rejected() {
        assertEquals("optimizer.beta1 does not apply to optimizer.type sgd",
                firstLine("{\"optimizer\": {\"type\": \"sgd\", \"beta1\": 0.9}}"));
        assertEquals("schedule.every does not apply to schedule.type constant",
                firstLine("{\"schedule\": {\"every\": 3}}"));
        assertEquals("model.kernel does not apply to model.type mlp",
                firstLine("{\"model\": {\"type\": \"mlp\", \"kernel\": 3}}"));
    }

    @Test
    void unknown_types_name_the_choices() {
        assertEquals("optimizer.type must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, lbfgs (got \"adamw\")",
                firstLine("{\"optimizer\": {\"type\": \"adamw\"}}"));
        assertEquals("dataset must be one of spiral, shapes, mnist, fashion-mnist (got \"cifar\")",
                firstLine("{\"dataset\": \"cifar\"}"));
        assertEquals("schedule.unit must be one of iteration, epoch (got \"batch\")",
                firstLine("{\"schedule\": {\"type\": \"step\", \"unit\": \"batch\"}}"));
    }

    @Test
    void absurd_model_sizes_are_rejected() {
        assertEquals("model.hidden[0] must be between 1 and 8192 (got 10000000)", firstLine("{\"model\": {\"hidden\": [10000000]}}"));
        assertTrue(firstLine("{\"model\": {\"type\": \"mlp\", \"hidden\": [8192, 8192]}}").startsWith("model.hidden makes a model of 73,"));
        assertEquals("model.kernel must be between 1 and 27 (got 28)", firstLine("{\"model\": {\"kernel\": 28}}"));
        assertEquals("model.filters must be between 1 and 256 (got 0)", firstLine("{\"model\": {\"filters\": 0}}"));
        assertEquals("model.hidden must have at most 8 entries (got 9)", firstLine("{\"model\": {\"hidden\": [1,1,1,1,1,1,1,1,1]}}"));
    }

    @Test
    void a_cnn_needs_image_data() {
        assertEquals("model.type cnn needs image data (dataset spiral has 2-D points; use mlp)",
                firstLine("{\"dataset\": \"spiral\", \"model\": {\"type\": \"cnn\", \"filters\": 4}}"));
        assertEquals(1, errors("{\"dataset\": \"spiral\", \"model\": {\"type\": \"cnn\", \"filters\": 4}}").size());
    }

    @Test
    void sizes_beyond_the_dataset_are_rejected() throws IOException {
        assertEquals("trainSize must be between 1 and 60000 (got 70000)", firstLine("{\"trainSize\": 70000}"));
        setUpMnistFiles();
        assertEquals("trainSize + valSize must be at most 60000, the examples in mnist's training file (got 60000 + 1000)",
                firstLine("{\"dataset\": \"mnist\", \"trainSize\": 60000}"));
    }

    @Test
    void a_missing_file_backed_dataset_names_the_setup_command() {
        String line = firstLine("{\"dataset\": \"fashion-mnist\"}");
        assertTrue(line.startsWith("dataset fashion-mnist is not set up (missing "), line);
        assertTrue(line.contains("train-images-idx3-ubyte[.gz]"), line);
        assertTrue(line.endsWith("run `bash scripts/setup-datasets.sh`"), line);
    }

    @Test
    void present_dataset_files_plain_or_gz_are_accepted() throws Exception {
        setUpMnistFiles();
        assertEquals("mnist", parse("{\"dataset\": \"mnist\"}").dataset());
        Files.createDirectories(data.resolve("fashion-mnist"));
        Files.write(data.resolve("fashion-mnist/train-images-idx3-ubyte.gz"), new byte[] {1});
        Files.write(data.resolve("fashion-mnist/train-labels-idx1-ubyte.gz"), new byte[] {1});
        assertEquals("fashion-mnist", parse("{\"dataset\": \"fashion-mnist\"}").dataset());
    }

    @Test
    void text_that_is_not_a_json_object_gets_one_clear_line() {
        assertTrue(firstLine("{\"epochs\": 3,}").startsWith("config is not valid JSON: "), firstLine("{\"epochs\": 3,}"));
        assertTrue(firstLine("{\"epochs\": 3,}").contains("line 1"));
        assertEquals("config must be a JSON object (got array)", firstLine("[1, 2]"));
        assertEquals("config must be a JSON object (got string)", firstLine("\"shapes\""));
        assertEquals("config is empty (expected a JSON object)", firstLine("  "));
        assertTrue(firstLine("{\"epochs\": 3, \"epochs\": 4}").contains("Duplicate field 'epochs'"));
        assertTrue(firstLine("{} {}").startsWith("config is not valid JSON"));
        assertEquals("", errors("[1]").get(0).field());
    }

    @Test
    void a_name_is_any_text_up_to_100_characters() throws Exception {
        String odd = "<script>alert(1)</script> \u00e9t\u00e9 \ud83d\ude80 \"quoted\"";
        assertEquals(odd, parse("{\"name\": " + ConfigParser.JSON.writeValueAsString(odd) + "}").name());
        assertEquals("😀".repeat(100), parse("{\"name\": \"" + "😀".repeat(100) + "\"}").name());
        assertEquals("name must be at most 100 characters (got 101)", firstLine("{\"name\": \"" + "a".repeat(101) + "\"}"));
        assertEquals("shapes-cnn-adam", parse("{\"name\": \"  \"}").name());
    }

    @Test
    void schedule_settings_are_range_checked() {
        assertEquals("schedule.factor must be in (0, 1] (got 1.5)", firstLine("{\"schedule\": {\"type\": \"step\", \"factor\": 1.5}}"));
        assertEquals("schedule.every must be between 1 and 1000000000 (got 0)", firstLine("{\"schedule\": {\"type\": \"step\", \"every\": 0}}"));
        assertEquals("schedule.gamma must be in (0, 1] (got 2.0)", firstLine("{\"schedule\": {\"type\": \"exponential\", \"gamma\": 2}}"));
        assertEquals("schedule.patience must be between 1 and 1000000 (got 0)", firstLine("{\"schedule\": {\"type\": \"plateau\", \"patience\": 0}}"));
        assertEquals("schedule.minLr must be >= 0 (got -1.0E-6)", firstLine("{\"schedule\": {\"type\": \"plateau\", \"minLr\": -1e-6}}"));
    }

    @Test
    void huge_numbers_are_range_errors_not_crashes() {
        assertEquals("epochs must be between 1 and 100000 (got 1000000000000)", firstLine("{\"epochs\": 1000000000000}"));
        assertEquals("epochs is out of range (got 100000000000000000000000)", firstLine("{\"epochs\": 100000000000000000000000}"));
        assertEquals("optimizer.lr must be a finite number (got Infinity)", firstLine("{\"optimizer\": {\"lr\": 1e400}}"));
    }

    @Test
    void to_json_writes_every_applicable_default_and_parses_back_equal() throws Exception {
        String[] configs = {
            "{}",
            "{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"momentum\", \"momentum\": 0.5}, \"schedule\": {\"type\": \"inverse\", \"gamma\": 0.3, \"power\": 0.75, \"unit\": \"iteration\"}}",
            "{\"optimizer\": {\"type\": \"nesterov\"}, \"schedule\": {\"type\": \"exponential\", \"gamma\": 0.9}}",
            "{\"optimizer\": {\"type\": \"rmsprop\", \"decay\": 0.9}, \"schedule\": {\"type\": \"plateau\", \"patience\": 5}}",
            "{\"optimizer\": {\"type\": \"adagrad\"}, \"model\": {\"type\": \"mlp\", \"hidden\": []}, \"maxIterations\": 7}",
            "{\"optimizer\": {\"type\": \"lbfgs\", \"lr\": 0.5}, \"dataset\": \"spiral\", \"seed\": 7, \"name\": \"\u00e9\\\"x\"}",
        };
        for (String json : configs) {
            RunConfig c = parse(json);
            String written = ConfigParser.toJson(c);
            assertEquals(c, parse(written), written);
            assertTrue(written.contains("\"maxIterations\""), written);
        }
        String spiral = ConfigParser.toJson(parse(configs[1]));
        assertTrue(spiral.contains("\"momentum\" : 0.5"), spiral);
        assertTrue(!spiral.contains("beta1") && !spiral.contains("\"filters\" :"), spiral);
    }

    private void setUpMnistFiles() throws IOException {
        Files.createDirectories(data.resolve("mnist"));
        Files.write(data.resolve("mnist/train-images-idx3-ubyte"), new byte[] {1});
        Files.write(data.resolve("mnist/train-labels-idx1-ubyte"), new byte[] {1});
    }

    @Test
    void lbfgs_needs_the_full_batch_and_no_dropout() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}, \"dropout\": 0.5, \"batchSize\": 64}"));
        assertEquals(List.of("dropout", "batchSize"), e.errors().stream().map(FieldError::field).toList());
        assertEquals("dropout must be 0 with optimizer.type lbfgs, whose line search needs a deterministic loss (got 0.5)", e.getMessage());
        assertTrue(e.errors().get(1).message().contains("64 < 300"), e.errors().get(1).message());
        assertDoesNotThrow(() -> ConfigParser.parse("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}}"));
    }
}
