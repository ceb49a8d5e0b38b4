package trainwatch.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.RunException;
import trainwatch.store.StopRequest;
import trainwatch.testkit.TestClock;

/** The controller over in-memory trial runs: parallel, exactly-once across a crash, retries, ASHA prunes, stop, delete, refine. */
class SweeperTest {
    @TempDir
    Path runs;
    private final FakeTrials fake = new FakeTrials();
    private final TestClock clock = TestClock.frozen();
    private final List<SweepService> services = new ArrayList<>();
    private final List<SweepChange> changes = new ArrayList<>();

    static String spec(String method, int trials, int parallel, String extra) {
        return """
                {"name": "t", "base": {"dataset": "spiral", "epochs": 4}, "method": "%s", "metric": {"tag": "val_acc", "goal": "max"},
                 "parameters": {"optimizer.lr": {"distribution": "log_uniform", "min": 1e-4, "max": 1},
                                "model.hidden": {"values": [[8], [16]]}},
                 "trials": %d, "parallel": %d, "seed": 7%s}""".formatted(method, trials, parallel, extra);
    }

    /** A server (re)start: a fresh service over the same files and the same runs. */
    private SweepService service() {
        SweepService s = new SweepService(new SweepStore(runs, clock), fake, clock, runs);
        s.onChange(changes::add);
        services.add(s);
        return s;
    }

    @AfterEach
    void close() {
        services.forEach(SweepService::close);
    }

    private List<SweepEvent> events(String id) {
        return new SweepStore(runs, clock).events(id);
    }

    private long count(String id, String type) {
        return events(id).stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void trials_start_parallel_at_a_time_with_their_values_in_the_config_and_the_sweep_finishes() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 5, 2, ""));
        assertEquals("running", v.state());
        assertEquals(2, fake.runs.size(), "parallel 2: two trials at once");

        for (int round = 0; round < 20 && !svc.done(v.id()); round++) {
            assertTrue(fake.active().size() <= 2, "never more than parallel active: " + fake.active().size());
            for (FakeTrials.Run r : fake.active()) {
                fake.epoch(r.id, 0.5);
                fake.epoch(r.id, 0.5 + r.trial() / 100.0);
                fake.end(r.id, RunStatus.FINISHED, "");
            }
            svc.tick();
        }
        SweepDetail d = svc.get(v.id());
        assertEquals("finished", d.state());
        assertEquals(5, d.counts().finished());
        assertEquals(5, fake.runs.size());
        fake.creates.values().forEach(c -> assertEquals(1, c));
        assertEquals(4, d.best().trial(), "the highest val_acc");
        assertEquals(0.54, d.best().value(), 1e-12);
        for (TrialView t : d.trials()) {
            FakeTrials.Run r = fake.run(t.run());
            JsonNode config = Json.tree(r.config);
            assertEquals(((Number) t.values().get("optimizer.lr")).doubleValue(), config.path("optimizer").path("lr").asDouble(), 0.0);
            assertEquals(Json.MAPPER.valueToTree(t.values().get("model.hidden")), config.path("model").path("hidden"));
            assertEquals("t #" + t.n(), config.path("name").asText());
            JsonNode sweepJson = Json.tree(r.sweepJson);
            assertEquals(v.id(), sweepJson.path("sweep").asText());
            assertEquals(t.n(), sweepJson.path("trial").asInt());
            assertEquals(2, t.epochs());
        }
        assertEquals(5, count(v.id(), "trial"));
        assertEquals(5, count(v.id(), "end"));
        assertTrue(changes.stream().anyMatch(c -> c.trial() == null && c.summary().state().equals("finished")), "listeners hear of the end");
    }

    @Test
    void a_crash_between_the_trial_event_and_the_run_creation_creates_that_run_once_after_the_restart() {
        SweepService before = service();
        fake.crashOnCreate = true;
        assertThrows(FakeTrials.Crash.class, () -> before.create(spec("tpe", 4, 2, "")));
        String id = new SweepStore(runs, clock).ids().get(0);
        List<SweepEvent> written = events(id);
        assertEquals("trial", written.get(written.size() - 1).type(), "the trial event is on disk before its run");
        String reserved = written.get(written.size() - 1).run();
        assertFalse(fake.exists(reserved));

        service().start(3_600_000); // the restart: replay and continue
        assertTrue(fake.exists(reserved), "the reserved run id is created on restart");
        assertEquals(2, fake.runs.size());
        service().start(3_600_000); // and a second restart changes nothing
        assertEquals(2, fake.runs.size());
        assertEquals(2, count(id, "trial"), "trial 0 was not given a second run");
        fake.creates.values().forEach(c -> assertEquals(1, c));
    }

    @Test
    void an_interrupted_trial_is_retried_under_a_new_run_then_counts_as_failed() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 2, 1, ", \"retries\": 1"));
        FakeTrials.Run first = fake.trial(0);
        fake.end(first.id, RunStatus.INTERRUPTED, "trainer process is gone without a final status");
        svc.tick();
        FakeTrials.Run second = fake.trial(0);
        assertNotEquals(first.id, second.id);
        assertEquals(Json.tree(first.config).path("optimizer"), Json.tree(second.config).path("optimizer"), "same values");
        TrialView t0 = svc.get(v.id()).trials().get(0);
        assertEquals(second.id, t0.run());
        assertEquals(first.id, t0.retryOf());
        assertEquals(1, count(v.id(), "retry"));
        assertNull(fake.trial(1), "parallel 1: trial 1 waits for the retry");

        fake.end(second.id, RunStatus.INTERRUPTED, "killed again");
        svc.tick();
        assertEquals(1, count(v.id(), "retry"), "retries 1: no second retry");
        t0 = svc.get(v.id()).trials().get(0);
        assertEquals("interrupted", t0.status());
        assertNull(t0.value(), "counts as the worst");
        assertNotNull(fake.trial(1), "the sweep goes on");
    }

    @Test
    void asha_prunes_the_worse_trial_at_the_first_rung_and_it_ends_pruned_with_the_rung_and_threshold() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 2, 2, ", \"earlyStop\": {\"type\": \"asha\", \"minEpochs\": 1, \"reductionFactor\": 2}"));
        FakeTrials.Run a = fake.trial(0), b = fake.trial(1);
        fake.epoch(a.id, 0.9);
        svc.tick();
        fake.epoch(b.id, 0.5);
        svc.tick();
        assertEquals(List.of(), a.stops, "the better trial goes on");
        assertEquals(1, b.stops.size());
        StopRequest asked = b.stops.get(0);
        assertEquals(RunStatus.PRUNED, asked.status());
        assertEquals("pruned at rung 0 (epoch 1): val_acc 0.5 < 0.9, the top 1/2 threshold (1 of 2 trials at this rung go on)", asked.reason());

        svc.tick();
        TrialView tb = svc.get(v.id()).trials().get(1);
        assertEquals("pruned", tb.status());
        assertEquals(asked.reason(), tb.reason());
        assertEquals(0.5, tb.value());
        assertEquals(1, tb.epochs());
        assertEquals(1, svc.get(v.id()).counts().pruned());
        assertEquals(2, count(v.id(), "report"));
    }

    @Test
    void a_prune_decided_before_a_restart_is_sent_again_after_it() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 2, 2, ", \"earlyStop\": {\"type\": \"asha\", \"minEpochs\": 1, \"reductionFactor\": 2}"));
        FakeTrials.Run a = fake.trial(0), b = fake.trial(1);
        fake.epoch(a.id, 0.9);
        fake.epoch(b.id, 0.5);
        svc.tick();
        // the stop never reached the trainer (the server died first): it is still running
        fake.run(b.id).status = RunStatus.RUNNING;
        fake.run(b.id).stops.clear();
        svc.close();

        service().start(3_600_000);
        assertEquals(1, b.stops.size(), "the replayed reports decide the same prune and send it");
        assertEquals(RunStatus.PRUNED, b.stops.get(0).status());
        assertEquals(List.of(), a.stops);
        assertEquals(2, count(v.id(), "report"), "replay writes no report twice");
    }

    @Test
    void stop_ends_the_active_trials_starts_no_more_and_delete_waits_for_it() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 5, 2, ""));
        RunException busy = assertThrows(RunException.class, () -> svc.delete(v.id(), true));
        assertEquals(409, busy.status());

        assertEquals("stopped", svc.stop(v.id()).state());
        fake.runs.values().forEach(r -> assertEquals(RunStatus.STOPPED, r.status));
        svc.tick();
        svc.tick();
        assertEquals(2, fake.runs.size(), "no new trial after stop");
        assertEquals(2, svc.get(v.id()).counts().stopped());
        assertTrue(svc.done(v.id()));
        assertEquals(409, assertThrows(RunException.class, () -> svc.stop(v.id())).status());

        DeleteResult d = svc.delete(v.id(), true);
        assertEquals(new DeleteResult(v.id(), 2), d);
        assertEquals(0, fake.runs.size());
        assertEquals(404, assertThrows(RunException.class, () -> svc.get(v.id())).status());
    }

    @Test
    void refine_makes_a_narrower_sweep_linked_to_its_parent() {
        SweepService svc = service();
        SweepView v = svc.create(spec("random", 8, 8, ""));
        assertEquals(409, assertThrows(RunException.class, () -> svc.refine(v.id(), "{}")).status(), "nothing finished yet");
        assertEquals("tiral", assertThrows(RunException.class, () -> svc.refine(v.id(), "{\"tiral\": 3}")).problems().get(0).field());
        for (FakeTrials.Run r : fake.active()) {
            double lr = Json.tree(r.config).path("optimizer").path("lr").asDouble();
            fake.epoch(r.id, -Math.abs(Math.log10(lr) + 2)); // best near lr = 1e-2
            fake.end(r.id, RunStatus.FINISHED, "");
        }
        svc.tick();
        SweepView child = svc.refine(v.id(), "{\"trials\": 3}");
        assertEquals(v.id(), child.parent());
        assertEquals(3, child.trials());
        assertEquals("t (refined)", child.name());
        SweepDetail d = svc.get(child.id());
        ParamView lr = d.params().get(0);
        assertTrue(lr.min().doubleValue() > 1e-4 || lr.max().doubleValue() < 1, "narrower: " + lr);
        assertEquals(v.id(), d.spec().path("parent").asText());
        assertEquals(3, fake.runs.size() - 8, "the child starts its own trials");

        // the space changed once started: a range replaced (widened), a parameter dropped; bad ones named and nothing made
        int before = svc.list().size();
        RunException bad = assertThrows(RunException.class,
                () -> svc.refine(v.id(), "{\"parameters\": {\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 0, \"max\": 10}}}"));
        assertEquals("parameters.optimizer.lr.min", bad.problems().get(0).field());
        assertEquals("parameters", assertThrows(RunException.class, () -> svc.refine(v.id(), "{\"parameters\": 3}")).problems().get(0).field());
        assertEquals(before, svc.list().size(), "a refused refine makes no sweep");
        JsonNode params = Json.tree(Json.write(svc.get(v.id()).spec().get("parameters")));
        StringBuilder drop = new StringBuilder();
        params.fieldNames().forEachRemaining(k -> { if (!k.equals("optimizer.lr")) drop.append(",\"").append(k).append("\": null"); });
        SweepView wide = svc.refine(v.id(), "{\"trials\": 2, \"parameters\": {\"optimizer.lr\": {\"distribution\": \"log_uniform\", \"min\": 1e-5, \"max\": 5}"
                + drop + "}}");
        SweepDetail w = svc.get(wide.id());
        assertEquals(1, w.params().size(), "the others dropped: " + w.params());
        assertEquals(1e-5, w.params().get(0).min().doubleValue(), 1e-12);
        assertEquals(5, w.params().get(0).max().doubleValue(), 1e-12);
        assertEquals(v.id(), wide.parent());
    }

    @Test
    void a_server_tells_the_changes_of_a_sweep_another_process_runs_even_after_a_read_replayed_it() {
        SweepService server = new SweepService(new SweepStore(runs, clock), fake, clock, runs);
        services.add(server);
        List<SweepChange> told = new ArrayList<>();
        server.onChange(told::add);
        server.watchOthers(); // the first look only takes note
        SweepService cli = service(); // a `sweep` command on the same runs/
        SweepView v = cli.create(spec("random", 2, 1, ""));
        server.get(v.id()); // a page read it first (and the read cache replayed it)
        server.watchOthers();
        assertTrue(told.stream().anyMatch(c -> c.trial() == null && c.summary().id().equals(v.id())), "a new sweep is announced: " + told);
        told.clear();
        FakeTrials.Run first = fake.trial(0);
        fake.epoch(first.id, 0.8);
        fake.end(first.id, RunStatus.FINISHED, "");
        cli.tick();
        server.get(v.id());
        server.watchOthers();
        assertTrue(told.stream().anyMatch(c -> c.trial() != null && c.trial().n() == 0 && c.trial().status().equals("finished")),
                "the trial that ended is told: " + told);
        assertTrue(told.stream().anyMatch(c -> c.trial() != null && c.trial().n() == 1), "and the one started after it: " + told);
        assertTrue(told.stream().noneMatch(c -> !c.sweep().equals(v.id())));
        told.clear();
        server.watchOthers();
        assertEquals(List.of(), told, "nothing new, nothing told");
    }

    @Test
    void the_detail_serialises_to_the_documented_keys() {
        SweepService svc = service();
        SweepView v = svc.create(spec("tpe", 3, 1, ""));
        fake.epoch(fake.trial(0).id, 0.7);
        fake.end(fake.trial(0).id, RunStatus.FINISHED, "");
        svc.tick();
        JsonNode summary = Json.tree(Json.write(svc.summary(v.id())));
        assertEquals(Set.of("id", "name", "state", "reason", "method", "metric", "early_stop", "trials", "parallel", "parent", "created", "owner",
                "counts", "best"), keys(summary));
        assertEquals(Set.of("queued", "running", "finished", "pruned", "failed", "diverged", "stopped", "interrupted"), keys(summary.get("counts")));
        assertEquals(Set.of("run", "trial", "value", "values"), keys(summary.get("best")));
        JsonNode detail = Json.tree(Json.write(svc.get(v.id())));
        Set<String> want = new HashSet<>(keys(summary));
        want.addAll(Set.of("spec", "params", "warnings"));
        assertEquals(want, keys(detail));
        assertTrue(detail.get("trials").isArray(), "in the detail, trials is the list");
        assertEquals(Set.of("n", "run", "status", "values", "value", "epochs", "reason", "retry_of"), keys(detail.get("trials").get(0)));
        assertEquals(Set.of("path", "distribution", "min", "max", "log"), keys(detail.get("params").get(0)));
        assertEquals(Set.of("path", "distribution", "values", "log"), keys(detail.get("params").get(1)));
        assertTrue(detail.get("params").get(0).get("log").asBoolean());
    }

    @Test
    void a_sweep_driven_by_another_process_is_shown_from_its_files_but_not_stopped_from_here() {
        SweepService driver = service(); // e.g. a `sweep` command on the same runs/
        SweepView v = driver.create(spec("random", 3, 1, ""));
        SweepService viewer = new SweepService(new SweepStore(runs, clock), fake, clock, runs);
        services.add(viewer);
        assertEquals(1, viewer.get(v.id()).trials().size());
        assertEquals(409, assertThrows(RunException.class, () -> viewer.stop(v.id())).status());

        fake.epoch(fake.trial(0).id, 0.8);
        fake.end(fake.trial(0).id, RunStatus.FINISHED, "");
        driver.tick();
        SweepDetail seen = viewer.get(v.id());
        assertEquals(2, seen.trials().size(), "a grown events.jsonl is read again");
        assertEquals(0.8, seen.best().value());
        assertEquals(2, fake.runs.size(), "the viewer started nothing");
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Map<String, Object> values(TrialView t) {
        return t.values();
    }
}
