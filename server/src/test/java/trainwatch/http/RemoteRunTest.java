package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.lab.AlertRules;
import trainwatch.store.RunWriter;
import trainwatch.store.StopRequest;

/** A remote run behaves like a launched one: marked with where it comes from, stop that survives a restart, the same alerts. */
class RemoteRunTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o);

    private Api api() {
        return fixture.api;
    }

    @Test
    void a_remote_run_is_listed_and_shown_with_the_host_and_client_it_comes_from() {
        Ingest run = Ingest.create(api(), "{\"name\": \"from-gpu3\", \"host\": \"gpu-box-3\", \"client\": \"trainwatch-python (Python 3.11)\"}");
        JsonNode remote = api().get("/api/runs/" + run.id).json().get("remote");
        assertEquals("gpu-box-3", remote.get("host").asText());
        assertEquals("trainwatch-python (Python 3.11)", remote.get("client").asText());
        assertEquals("127.0.0.1", remote.get("address").asText(), "the address the create request came from");
        Api.await("listed with its origin", Duration.ofSeconds(30), () -> {
            for (JsonNode r : api().get("/api/runs?q=from-gpu3").json().get("runs"))
                if (r.get("id").asText().equals(run.id)) return r.get("remote").get("host").asText().equals("gpu-box-3");
            return false;
        });
        Api.Res bad = api().post("/api/ingest/runs", "{\"name\": \"x\", \"host\": 7}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("\"field\":\"host\""), bad.body());
    }

    @Test
    void a_remote_run_without_an_origin_is_still_marked_remote_and_a_run_launched_here_is_not() throws Exception {
        Ingest run = Ingest.create(api(), "{\"name\": \"anonymous-origin\"}");
        JsonNode remote = api().get("/api/runs/" + run.id).json().get("remote");
        assertTrue(remote.isObject(), "remote: " + remote);
        assertEquals("", remote.get("host").asText());
        // a run directory written by a trainer here (no ingest): remote is null
        String local = fixture.server.store.newId();
        fixture.server.store.create(local, "{\"name\": \"local-run\", \"dataset\": \"spiral\"}", RunStatus.FINISHED, "");
        fixture.server.index.touch(local);
        Api.Res one = api().get("/api/runs/" + local);
        assertEquals(200, one.status(), one.body());
        assertTrue(one.json().get("remote").isNull(), one.body());
        Api.await("the local run listed with remote null", Duration.ofSeconds(30), () -> {
            for (JsonNode r : api().get("/api/runs?q=local-run").json().get("runs"))
                if (r.get("id").asText().equals(local)) return r.has("remote") && r.get("remote").isNull();
            return false;
        });
    }

    @Test
    void a_stop_asked_for_survives_a_server_restart_and_comes_with_the_next_acknowledgement() throws Exception {
        Path runs = Files.createTempDirectory("trainwatch-remote-stop-");
        String id, key;
        try (TrainwatchServer first = new TrainwatchServer(ServerFixture.options(runs)).start()) {
            Api api = new Api(first.port());
            Ingest run = Ingest.create(api, "{\"name\": \"stop-then-restart\"}");
            id = run.id;
            key = run.key;
            assertEquals(3, run.next(run.send(0, Ingest.rows(0, 3))));
            Api.Res stop = api.post("/api/runs/" + id + "/stop", "{}");
            assertEquals(202, stop.status(), stop.body());
            ServerFixture.assertNoFaults(first);
        }
        try (TrainwatchServer second = new TrainwatchServer(ServerFixture.options(runs)).start()) {
            Api api = new Api(second.port());
            Ingest run = Ingest.attach(api, id, key);
            Api.Res ack = run.send(3, Ingest.rows(3, 4));
            assertEquals(4, run.next(ack));
            assertTrue(ack.json().get("stop").asBoolean(), "the stop asked before the restart is delivered: " + ack.body());
            assertEquals(5, run.next(run.send(4, "{\"type\":\"status\",\"status\":\"stopped\",\"reason\":\"stopped on request\"}")));
            assertEquals("stopped", api.status(id));
            assertEquals(0, second.stats.count(500, 600));
            ServerFixture.assertNoFaults(second);
        }
    }

    @Test
    void a_stop_that_prunes_a_remote_trial_stores_the_trainers_stopped_as_pruned_with_the_reason() {
        Ingest run = Ingest.create(api(), "{\"name\": \"pruned-trial\"}");
        assertEquals(2, run.next(run.send(0, Ingest.rows(0, 2))));
        fixture.server.supervisor.stop(run.id, new StopRequest(RunStatus.PRUNED, "val_acc 0.41 below the rung-1 threshold 0.62"));
        assertTrue(run.send(2, Ingest.rows(2, 3)).json().get("stop").asBoolean());
        assertEquals(4, run.next(run.send(3, "{\"type\":\"status\",\"status\":\"stopped\",\"reason\":\"stop requested\"}")));
        JsonNode detail = api().get("/api/runs/" + run.id).json();
        assertEquals("pruned", detail.get("status").asText(), detail.toString());
        assertEquals("val_acc 0.41 below the rung-1 threshold 0.62", detail.get("reason").asText());
    }

    /** An exploding loss, then NaN: what a launched run's trainer alerts on. */
    private static double divergingLoss(int step) {
        if (step == 70) return Double.NaN;
        return step < 20 ? 2.3 - 0.01 * step : 2.1 * Math.pow(1.08, step - 19);
    }

    @Test
    void a_diverging_ingested_run_raises_the_alerts_a_launched_run_raises_with_the_same_words() throws Exception {
        Ingest run = Ingest.create(api(), "{\"name\": \"diverging\", \"classes\": 10, \"config\": {\"optimizer\": {\"type\": \"sgd\", \"lr\": 3.0}}}");
        StringBuilder rows = new StringBuilder();
        for (int s = 0; s <= 70; s++) {
            if (s > 0) rows.append(',');
            double v = divergingLoss(s);
            rows.append(String.format(Locale.ROOT, "{\"type\":\"scalars\",\"step\":%d,\"t\":%d,\"values\":{\"loss\":%s}}", s,
                    1_764_000_000_000L + s, Double.isNaN(v) ? "\"NaN\"" : Double.toString(v)));
        }
        // two batches, split inside the explosion: the rules carry their state from one batch to the next
        String[] all = rows.toString().split(",(?=\\{\"type\")");
        assertEquals(40, run.next(run.send(0, String.join(",", List.of(all).subList(0, 40)))));
        assertEquals(71, run.next(run.send(40, String.join(",", List.of(all).subList(40, 71)))));

        // what the trainer of a launched run writes for the same losses: the lab's rules, then "nonfinite" at the first NaN
        Collected expected = new Collected();
        AlertRules rules = AlertRules.forConfig(trainwatch.config.ConfigParser.parse("{\"name\": \"x\", \"dataset\": \"spiral\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 3.0}}"));
        for (int s = 0; s < 70; s++) rules.onScalars(s, new String[] {"loss"}, new double[] {divergingLoss(s)}, expected);
        expected.alert(70, "nonfinite", "loss", "loss became NaN at step 70", "lower the learning rate (now 3.0), check the input scaling, or add l2");
        assertTrue(expected.alerts.stream().anyMatch(a -> a.startsWith("loss_exploding@")), "the data does explode: " + expected.alerts);

        Api.Res alerts = api().get("/api/runs/" + run.id + "/alerts");
        assertEquals(200, alerts.status(), alerts.body());
        List<String> got = new ArrayList<>();
        for (JsonNode a : alerts.json())
            got.add(a.get("kind").asText() + "@" + a.get("step").asLong() + " " + a.get("tag").asText() + ": " + a.get("message").asText()
                    + " / " + a.get("advice").asText());
        assertEquals(expected.alerts, got);
        JsonNode detail = api().get("/api/runs/" + run.id).json();
        assertEquals("running", detail.get("status").asText(), "a remote run goes on until its trainer ends it");
        boolean critical = false;
        for (JsonNode a : detail.get("alerts")) critical |= a.get("kind").asText().equals("loss_exploding") && a.get("severity").asText().equals("critical");
        assertTrue(critical, detail.get("alerts").toString());
        assertFalse(detail.get("checks").isEmpty(), "the initial-loss check too: " + detail.get("checks"));
    }

    /** The alerts a trainer would write, as "kind@step tag: message / advice". */
    private static final class Collected implements RunWriter {
        final List<String> alerts = new ArrayList<>();

        @Override
        public long alert(long step, String kind, String tag, String message, String advice) {
            alerts.add(kind + "@" + step + " " + tag + ": " + message + " / " + advice);
            return alerts.size();
        }

        @Override
        public long scalars(long step, String[] tags, double[] values) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long filters(long step, int[] shape, float[] data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long status(RunStatus status, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long check(String check, String outcome, String summary, String detailsJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path checkpointDir() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
