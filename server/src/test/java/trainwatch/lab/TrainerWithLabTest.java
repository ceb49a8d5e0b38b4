package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Datasets;
import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.testkit.MemoryRunWriter;
import trainwatch.train.ProgressObserver;
import trainwatch.train.TrainOutcome;
import trainwatch.train.Trainer;

/** The lab's pieces inside real training runs (spiral: full batch, milliseconds per step). */
class TrainerWithLabTest {
    @TempDir
    Path dir;

    private MemoryRunWriter train(String json) throws Exception {
        return train(json, null);
    }

    /** Trains with the given rules, or the ones the train command uses when null. */
    private MemoryRunWriter train(String json, AlertRules rules) throws Exception {
        RunConfig cfg = ConfigParser.parse(json);
        MemoryRunWriter out = new MemoryRunWriter(dir);
        TrainOutcome o = Trainer.train(cfg, Datasets.load(cfg), out, ProgressObserver.NONE, () -> false,
                List.of(rules != null ? rules : AlertRules.forConfig(cfg)));
        out.status(o.status(), "");
        return out;
    }

    private static Set<String> tags(MemoryRunWriter w) {
        Set<String> t = new TreeSet<>();
        for (Scalars s : w.scalars) t.addAll(List.of(s.tags()));
        return t;
    }

    @Test
    void an_lbfgs_run_records_the_same_tags_as_an_sgd_run_and_its_loss_keeps_falling() throws Exception {
        MemoryRunWriter lbfgs = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"lbfgs\"}, \"epochs\": 40, \"evalEvery\": 10}");
        MemoryRunWriter sgd = train("{\"dataset\": \"spiral\", \"epochs\": 40, \"evalEvery\": 10}");
        assertEquals(RunStatus.FINISHED, lbfgs.finalStatus());
        assertEquals(tags(sgd), tags(lbfgs), "lr/<layer>, update_ratio/<layer>, train_acc, val_* ... like any other run");
        assertEquals(40, lbfgs.scalars.size(), "one L-BFGS iteration per step of the full batch");
        double[] loss = lbfgs.values("loss");
        for (int i = 1; i < loss.length; i++) assertTrue(loss[i] <= loss[i - 1] + 1e-6, "step " + i + ": " + loss[i - 1] + " -> " + loss[i]);
        assertTrue(loss[loss.length - 1] < sgd.values("loss")[loss.length - 1], "lbfgs ahead of sgd after 40 steps");
        double[] ratio = lbfgs.values("update_ratio/dense1");
        assertTrue(ratio[0] > 0 && Double.isFinite(ratio[0]), "update ratio of the first step " + ratio[0]);
        double[] acc = lbfgs.values("train_acc");
        assertTrue(acc[acc.length - 1] > acc[0], "train_acc " + acc[0] + " -> " + acc[acc.length - 1]);
    }

    @Test
    void the_trainer_records_both_sanity_checks_at_step_0_with_both_numbers() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"epochs\": 2}");
        CheckResult init = w.checks.stream().filter(c -> c.check().equals("initial_loss")).findFirst().orElseThrow();
        assertEquals("pass", init.outcome(), init.summary());
        assertTrue(init.summary().contains("ln(3) = 1.0986"), init.summary());
        assertTrue(init.detailsJson().contains("\"expected\""), init.detailsJson());
        CheckResult reg = w.checks.stream().filter(c -> c.check().equals("reg_raises_loss")).findFirst().orElseThrow();
        assertEquals("pass", reg.outcome(), reg.summary());
        assertTrue(reg.detailsJson().contains("\"data_loss\"") && reg.detailsJson().contains("\"reg_loss\""), reg.detailsJson());
    }

    @Test
    void a_learning_rate_of_1e_7_raises_one_update_ratio_too_low_alert_per_layer() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e-7}, \"epochs\": 150}");
        List<Alert> low = w.alerts("update_ratio_low");
        assertEquals(Set.of("update_ratio/dense1", "update_ratio/output"), Set.copyOf(low.stream().map(Alert::tag).toList()));
        assertEquals(2, low.size(), "once per layer, not once per iteration: " + low);
        for (Alert a : low) {
            assertEquals(99, a.step(), "after 100 consecutive iterations");
            assertTrue(a.message().contains("learning rate likely too low for"), a.message());
        }
        assertTrue(w.alerts("update_ratio_high").isEmpty());
    }

    @Test
    void a_healthy_run_raises_no_update_ratio_alert() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 1.0}, \"epochs\": 150}");
        assertTrue(w.alerts.stream().noneMatch(a -> a.kind().startsWith("update_ratio")), w.alerts.toString());
    }

    @Test
    void a_seeded_run_that_overflows_ends_diverged_with_a_nonfinite_alert() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e9}, \"epochs\": 200, \"seed\": 7, \"l2\": 0}");
        assertEquals(RunStatus.DIVERGED, w.finalStatus());
        List<Alert> nonfinite = w.alerts("nonfinite");
        assertEquals(1, nonfinite.size(), w.alerts.toString());
        Scalars last = w.scalars.get(w.scalars.size() - 1);
        assertEquals(last.step(), nonfinite.get(0).step());
        assertFalse(nonfinite.get(0).advice().isBlank());
    }

    @Test
    void an_mlp_memorizing_30_images_raises_one_overfitting_alert() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"shapes\", \"model\": {\"type\": \"mlp\", \"hidden\": [100]}, "
                + "\"optimizer\": {\"type\": \"adam\", \"lr\": 0.003}, \"trainSize\": 30, \"valSize\": 200, \"batchSize\": 30, "
                + "\"l2\": 0, \"epochs\": 80, \"evalEvery\": 10}");
        List<Alert> a = w.alerts("overfitting");
        assertEquals(1, a.size(), w.alerts.toString() + " train " + java.util.Arrays.toString(w.values("train_acc")).substring(0, 300) + " val " + java.util.Arrays.toString(w.values("val_acc")));
        assertTrue(a.get(0).message().contains("below train_acc"), a.get(0).message());
    }

    @Test
    void a_run_whose_loss_stands_still_gets_one_plateau_alert_after_the_minimum_length() throws Exception {
        AlertRules.Settings d = AlertRules.Settings.defaults();
        AlertRules shortMinimum = new AlertRules(new AlertRules.Settings(d.fastBeta(), d.slowBeta(), d.explodeFactor(), d.ratioLow(),
                d.ratioHigh(), d.ratioRun(), d.overfitGap(), d.overfitEvals(), d.plateauImprovement(), 100));
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e-7}, \"epochs\": 160}", shortMinimum);
        List<Alert> a = w.alerts("plateau");
        assertEquals(1, a.size(), w.alerts.toString());
        assertTrue(a.get(0).step() >= 100 && a.get(0).step() < 110, a.get(0).toString());
    }

    @Test
    void a_rate_that_blows_the_loss_up_without_overflow_raises_one_exploding_alert() throws Exception {
        MemoryRunWriter w = train("{\"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e6}, \"epochs\": 40, \"seed\": 7, \"l2\": 0}");
        assertEquals(RunStatus.FINISHED, w.finalStatus(), "saturated, not diverged: DL4J clips the softmax probabilities, so the loss stays finite");
        List<Alert> a = w.alerts("loss_exploding");
        assertEquals(1, a.size(), w.alerts.toString());
        assertTrue(a.get(0).advice().contains("lower the learning rate"));
    }
}
