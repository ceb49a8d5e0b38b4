package trainwatch.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.run.RunException;

/** Issue 12: prediction averaging, post-hoc parameter averaging and refusals, evaluated in this process on tiny runs. */
class EnsembleEvaluatorTest {
    @TempDir
    static Path runs;
    static String spiralA, spiralB;

    @BeforeAll
    static void trainTwoSpiralRuns() throws Exception {
        spiralA = TinyRuns.train(runs, TinyRuns.spiral(1, 30));
        spiralB = TinyRuns.train(runs, TinyRuns.spiral(2, 30));
    }

    @Test
    void k_copies_of_one_checkpoint_equal_the_single_model() throws Exception {
        EnsembleResult one = evaluate(false, spiralA + ":final");
        EnsembleResult four = evaluate(false, spiralA + ":final", spiralA + ":final", spiralA + ":final", spiralA + ":final");
        assertEquals(one.members().get(0).valAcc(), one.ensemble().valAcc(), 1e-6);
        assertEquals(one.members().get(0).valLoss(), one.ensemble().valLoss(), 1e-6);
        assertEquals(one.ensemble().valAcc(), four.ensemble().valAcc(), 1e-6);
        assertEquals(one.ensemble().valLoss(), four.ensemble().valLoss(), 1e-6);
        assertEquals(0, four.disagreement(), 0.0, "copies never disagree");
        for (EnsembleResult.CurvePoint p : four.curve()) assertEquals(one.ensemble().valAcc(), p.valAcc(), 1e-6);
        assertTrue(one.ensemble().valAcc() > 0.5, "the spiral member learned something: " + one.ensemble().valAcc());
    }

    @Test
    void averaging_two_checkpoints_parameters_is_their_element_wise_mean() throws Exception {
        // the earliest epoch checkpoint kept: which epochs are saved depends on time (a 10 s throttle) and rotation
        Path first;
        try (var files = java.nio.file.Files.list(runs.resolve(spiralA).resolve("checkpoints"))) {
            first = files.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.zip")).sorted().findFirst().orElseThrow();
        }
        MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(first.toFile(), false);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(runs.resolve(spiralA).resolve("checkpoints/final.zip").toFile(), false);
        float[] pa = a.params().dup().toFloatVector(), pb = b.params().dup().toFloatVector();
        float[] avg = EnsembleEvaluator.averageParameters(List.of(a, b)).params().dup().toFloatVector();
        boolean differ = false;
        for (int i = 0; i < avg.length; i++) {
            assertEquals((pa[i] + pb[i]) / 2.0, avg[i], 1e-6, "parameter " + i);
            differ |= pa[i] != pb[i];
        }
        assertTrue(differ, "the two checkpoints hold different weights");

        int firstEpoch = Integer.parseInt(first.getFileName().toString().replaceAll("\\D", ""));
        EnsembleResult r = evaluate(true, spiralA + ":epoch-" + firstEpoch, spiralA + ":final");
        assertNotNull(r.averaged(), r.averagedNote());
        assertTrue(r.averaged().valAcc() > 0 && Double.isFinite(r.averaged().valLoss()));
    }

    @Test
    void parameters_of_different_runs_are_not_averaged_and_the_note_says_why() throws Exception {
        EnsembleResult r = evaluate(true, spiralA, spiralB);
        assertNull(r.averaged());
        assertTrue(r.averagedNote().contains("one run"), r.averagedNote());
        assertEquals(2, r.curve().size());
        assertTrue(r.disagreement() > 0 && r.disagreement() < 1, "two seeds disagree somewhere: " + r.disagreement());
    }

    @Test
    void a_member_of_another_dataset_is_refused_naming_it() throws Exception {
        Path shapesRun = Files.createDirectories(runs.resolve("shapes-run"));
        Files.writeString(shapesRun.resolve("config.json"), "{\"dataset\": \"shapes\", \"seed\": 3}");
        RunException e = assertThrows(RunException.class, () -> evaluate(false, spiralA, "shapes-run"));
        assertEquals("members[1]", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("shapes-run") && e.problems().get(0).message().contains("same dataset"),
                e.problems().get(0).message());
    }

    @Test
    void a_member_whose_model_does_not_take_the_input_is_refused_naming_it() throws Exception {
        // a run that says shapes but holds a spiral model (2 inputs): its config passes, its checkpoint does not
        Path liar = Files.createDirectories(runs.resolve("liar").resolve("checkpoints"));
        Files.writeString(runs.resolve("liar").resolve("config.json"), "{\"dataset\": \"shapes\", \"seed\": 3, \"trainSize\": 100, \"valSize\": 50}");
        Files.copy(runs.resolve(spiralA).resolve("checkpoints/final.zip"), liar.resolve("final.zip"), StandardCopyOption.REPLACE_EXISTING);
        Path honest = Files.createDirectories(runs.resolve("honest").resolve("checkpoints"));
        Files.writeString(runs.resolve("honest").resolve("config.json"), "{\"dataset\": \"shapes\", \"seed\": 3, \"trainSize\": 100, \"valSize\": 50}");
        MultiLayerNetwork cnn = trainwatch.train.Models.build(trainwatch.config.ConfigParser.parse(
                Files.readString(runs.resolve("honest").resolve("config.json"))), trainwatch.data.Shapes.generate(10, 10, 3));
        ModelSerializer.writeModel(cnn, honest.resolve("final.zip").toFile(), false);
        RunException e = assertThrows(RunException.class, () -> evaluate(false, "honest", "liar"));
        assertEquals("members[1]", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("liar:final") && e.problems().get(0).message().contains("input"),
                e.problems().get(0).message());
    }

    @Test
    void a_missing_checkpoint_is_refused_naming_the_member() {
        RunException e = assertThrows(RunException.class, () -> evaluate(false, spiralA, spiralB + ":average"));
        assertEquals("members[1]", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("averaging"), e.problems().get(0).message());
    }

    private EnsembleResult evaluate(boolean averageParams, String... members) throws Exception {
        List<MemberRef> refs = new ArrayList<>();
        for (String m : members) refs.add(MemberRef.parse(m));
        EnsembleSpec spec = new EnsembleSpec("e-test", "test", 0, EnsembleSpec.Source.runs(), refs, averageParams);
        return EnsembleEvaluator.evaluate(spec, runs, runs.resolve("no-data"));
    }
}
