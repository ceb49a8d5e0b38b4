package trainwatch.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.json.Json;
import trainwatch.run.Launcher;
import trainwatch.run.RunException;
import trainwatch.run.Supervisor;
import trainwatch.search.Goal;
import trainwatch.search.Param;
import trainwatch.store.RunStore;

/** Spec validation: every bad spec names its field and creates nothing; a good one parses with its defaults. */
class SweepSpecTest {
    @TempDir
    Path runs;

    static final String GOOD = """
            {"name": "spiral-lr", "base": {"dataset": "spiral", "epochs": 3},
             "method": "tpe", "metric": {"tag": "val_acc", "goal": "max"},
             "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 1e-4, "max": 1},
                            "model.hidden": {"values": [[50], [100], [200, 100]]},
                            "batchSize": {"distribution": "int_log_uniform", "min": 16, "max": 256}},
             "trials": 20, "parallel": 2, "earlyStop": {"type": "asha"}}""";

    /** GOOD with one top-level key replaced (null value = removed). */
    static String with(String key, String valueJson) {
        ObjectNode n = (ObjectNode) Json.tree(GOOD);
        if (valueJson == null) n.remove(key);
        else n.set(key, Json.tree(valueJson));
        return n.toString();
    }

    static String params(String json) {
        return with("parameters", json);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("no name", with("name", null), "name"),
                Arguments.of("unknown key", with("trails", "3"), "trails"),
                Arguments.of("unknown method", with("method", "\"bayes\""), "method"),
                Arguments.of("unknown metric tag", with("metric", "{\"tag\": \"accuracy\", \"goal\": \"max\"}"), "metric.tag"),
                Arguments.of("no goal", with("metric", "{\"tag\": \"val_acc\"}"), "metric.goal"),
                Arguments.of("log bound 0", params("{\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 0, \"max\": 1}}"), "parameters.optimizer.lr.min"),
                Arguments.of("log bound an exponent", params("{\"l2\": {\"distribution\": \"log_uniform\", \"min\": -6, \"max\": -1}}"), "parameters.l2.min"),
                Arguments.of("min > max", params("{\"dropout\": {\"distribution\": \"uniform\", \"min\": 0.5, \"max\": 0.1}}"), "parameters.dropout.max"),
                Arguments.of("unknown path", params("{\"optimizer.lrr\": {\"values\": [0.1]}}"), "parameters.optimizer.lrr"),
                Arguments.of("name is not a hyperparameter", params("{\"name\": {\"values\": [\"a\", \"b\"]}}"), "parameters.name"),
                Arguments.of("epochs is not a hyperparameter", params("{\"epochs\": {\"distribution\": \"int_uniform\", \"min\": 1, \"max\": 9}}"), "parameters.epochs"),
                Arguments.of("dataset is not a hyperparameter", params("{\"dataset\": {\"values\": [\"spiral\", \"shapes\"]}}"), "parameters.dataset"),
                Arguments.of("empty values", params("{\"model.hidden\": {\"values\": []}}"), "parameters.model.hidden.values"),
                Arguments.of("no parameters", params("{}"), "parameters"),
                Arguments.of("trials 0", with("trials", "0"), "trials"),
                Arguments.of("trials missing for tpe", with("trials", null), "trials"),
                Arguments.of("trials above 10000", with("trials", "10001"), "trials"),
                Arguments.of("parallel 0", with("parallel", "0"), "parallel"),
                Arguments.of("retries 9", with("retries", "9"), "retries"),
                Arguments.of("a bound the run parser refuses", params("{\"dropout\": {\"distribution\": \"uniform\", \"min\": 0, \"max\": 1}}"), "parameters.dropout.max"),
                Arguments.of("a choice the run parser refuses", params("{\"model.hidden\": {\"values\": [[50], [-3]]}}"), "parameters.model.hidden.values[1]"),
                Arguments.of("bad base", with("base", "{\"dataset\": \"spiral\", \"optimizer\": {\"lr\": -1}}"), "base.optimizer.lr"),
                Arguments.of("base not an object", with("base", "[1]"), "base"),
                Arguments.of("unknown distribution key", params("{\"dropout\": {\"distribution\": \"uniform\", \"min\": 0, \"max\": 0.3, \"step\": 0.1}}"), "parameters.dropout.step"),
                Arguments.of("unknown distribution", params("{\"dropout\": {\"distribution\": \"normal\", \"min\": 0, \"max\": 0.3}}"), "parameters.dropout.distribution"),
                Arguments.of("integer bound with a fraction", params("{\"batchSize\": {\"distribution\": \"int_uniform\", \"min\": 16.5, \"max\": 64}}"), "parameters.batchSize.min"),
                Arguments.of("overlapping paths", params("{\"optimizer\": {\"values\": [{\"type\": \"sgd\"}]}, \"optimizer.lr\": {\"values\": [0.1]}}"), "parameters.optimizer.lr"),
                Arguments.of("grid with a continuous parameter", with("method", "\"grid\""), "parameters.optimizer.lr"),
                Arguments.of("early stop type", with("earlyStop", "{\"type\": \"hyperband\"}"), "earlyStop.type"),
                Arguments.of("early stop unknown key", with("earlyStop", "{\"type\": \"asha\", \"minEpoch\": 1}"), "earlyStop.minEpoch"),
                Arguments.of("min epochs not below epochs", with("earlyStop", "{\"type\": \"asha\", \"minEpochs\": 3}"), "earlyStop.minEpochs"),
                Arguments.of("reduction factor 1", with("earlyStop", "{\"type\": \"asha\", \"reductionFactor\": 1}"), "earlyStop.reductionFactor"),
                Arguments.of("parent is set by refine only", with("parent", "\"s20261203-140501-k3f9\""), "parent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void a_bad_spec_is_refused_naming_its_field_and_creates_nothing(String what, String spec, String field) throws IOException {
        RunException e = assertThrows(RunException.class, () -> SpecParser.parse(spec, runs));
        assertEquals(400, e.status());
        assertEquals(field, e.problems().get(0).field(), what + ": " + e.problems());
        assertTrue(e.getMessage().contains(field) || field.isEmpty(), "the one-line error names the field: " + e.getMessage());

        try (SweepService service = service()) {
            RunException again = assertThrows(RunException.class, () -> service.create(spec));
            assertEquals(field, again.problems().get(0).field());
        }
        try (Stream<Path> left = Files.walk(runs)) {
            assertEquals(List.of(runs), left.filter(p -> !p.equals(runs.resolve(SweepStore.DIR))).toList(), "nothing created");
        }
    }

    @Test
    void a_good_spec_parses_with_its_defaults() {
        SweepSpec s = SpecParser.parse(GOOD, runs);
        assertEquals("spiral-lr", s.name());
        assertEquals(Goal.MAX, s.goal());
        assertEquals(20, s.trials());
        assertEquals(1, s.retries());
        assertEquals(0, s.seed());
        assertTrue(s.earlyStop().asha());
        assertEquals(1, s.earlyStop().minEpochs());
        assertEquals(3, s.earlyStop().reductionFactor());
        assertTrue(s.space().get("optimizer.lr") instanceof Param.LogUniform);
        assertTrue(s.space().get("batchSize") instanceof Param.IntLogUniform);
        assertEquals(List.of(List.of(50), List.of(100), List.of(200, 100)), ((Param.Values) s.space().get("model.hidden")).choices());
    }

    @Test
    void a_grid_without_trials_runs_its_whole_product() {
        String spec = """
                {"name": "g", "base": {"dataset": "spiral", "epochs": 2}, "method": "grid", "metric": {"tag": "val_loss", "goal": "min"},
                 "parameters": {"optimizer.lr": {"grid": [0.01, 0.1, 1]}, "l2": {"values": [0, 0.001]}}}""";
        assertEquals(6, SpecParser.parse(spec, runs).trials());
        RunException e = assertThrows(RunException.class, () -> SpecParser.parse(spec.replace("\"method\"", "\"trials\": 7, \"method\""), runs));
        assertEquals("trials", e.problems().get(0).field());
    }

    private SweepService service() {
        RunStore store = new RunStore(runs, Clock.systemUTC());
        Launcher never = new Launcher() {
            @Override
            public Process startTrainer(String id) {
                throw new AssertionError("no trainer may start for a refused spec");
            }

            @Override
            public Process startCheck(String id, String check) {
                throw new AssertionError();
            }
        };
        Supervisor sup = new Supervisor(store, never, Clock.systemUTC(), 1, 1000);
        return new SweepService(new SweepStore(runs, Clock.systemUTC()), new StoreTrials(store, sup, StoreTrials.opening(store), id -> { }, store::delete),
                Clock.systemUTC(), runs);
    }
}
