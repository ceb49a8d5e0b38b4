package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.client.TrainwatchClient;
import trainwatch.client.TrainwatchListener;
import trainwatch.client.TrainwatchStopException;
import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;
import trainwatch.train.MiniBatches;
import trainwatch.train.Models;

/** The Java client and the DL4J listener against a real server (with real trainers for the comparison run). */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JavaClientTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withTrainers();

    private JsonNode scalars(String id, String tag) {
        Api.Res r = fixture.api.get("/api/runs/" + id + "/scalars?tag=" + tag + "&points=100000");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void logged_values_read_back_exactly_including_non_finite_ones(@org.junit.jupiter.api.io.TempDir Path spool) throws Exception {
        TrainwatchClient tw = TrainwatchClient.builder(fixture.api.base, "java-client").config(Map.of("lr", 0.1, "optimizer", "adam"))
                .classes(3).spoolDir(spool).flushIntervalMs(50).maxBatch(100).start();
        for (int step = 0; step < 1000; step++) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("loss", step == 500 ? Double.NaN : 1.0 / (step + 1) + 1e-17 * step);
            v.put("acc/train", step / 999.0);
            tw.log(step, v);
        }
        assertTrue(tw.finish("finished"), "delivered: " + tw.error());
        String id = tw.runId();
        tw.close();
        try (var files = Files.list(spool)) {
            assertEquals(0, files.count(), "the spool file is deleted once everything arrived");
        }
        JsonNode run = fixture.api.get("/api/runs/" + id).json();
        assertEquals("finished", run.get("status").asText());
        assertEquals("java-client", run.get("name").asText());
        assertEquals(0.1, run.get("config").get("lr").asDouble());
        JsonNode loss = scalars(id, "loss");
        assertEquals(1000, loss.get("total").asInt());
        for (int step = 0; step < 1000; step++) {
            assertEquals(step, loss.get("step").get(step).asLong());
            if (step == 500) assertEquals("NaN", loss.get("last").get(step).asText());
            else assertEquals(1.0 / (step + 1) + 1e-17 * step, loss.get("last").get(step).asDouble(), 0.0, "step " + step);
        }
        assertEquals(1.0, scalars(id, "acc/train").get("last").get(999).asDouble(), 0.0);
    }

    @Test
    void a_stop_on_the_dashboard_ends_fit_through_the_listener(@org.junit.jupiter.api.io.TempDir Path spool) throws Exception {
        RunConfig cfg = ConfigParser.parse("{\"name\": \"stop-me\", \"dataset\": \"spiral\"}");
        Dataset data = Datasets.load(cfg);
        MultiLayerNetwork net = Models.build(cfg, data);
        TrainwatchListener tw = new TrainwatchListener(TrainwatchClient.builder(fixture.api.base, "stop-me").spoolDir(spool).flushIntervalMs(20).start(), 25);
        net.setListeners(tw);
        MiniBatches batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
        Api.await("the run is created", Duration.ofSeconds(60), () -> tw.client().runId() != null);
        Api.Res stop = fixture.api.post("/api/runs/" + tw.client().runId() + "/stop", "{}");
        assertEquals(202, stop.status(), stop.body());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        assertThrows(TrainwatchStopException.class, () -> {
            while (System.nanoTime() < deadline) {
                batches.shuffle();
                for (int b = 0; b < batches.perEpoch(); b++) net.fit(batches.batch(b).data());
            }
        });
        tw.close();
        assertEquals("stopped", fixture.api.status(tw.client().runId()));
    }

    /**
     * The same config trained twice: launched by the server (a child trainer), and in this JVM by plain DL4J with
     * TrainwatchListener on the same data order. Both runs record the same training tags with the same values.
     */
    @Test
    void a_dl4j_network_with_the_listener_records_the_tags_and_values_of_a_launched_run(@org.junit.jupiter.api.io.TempDir Path spool) throws Exception {
        String config = "{\"name\": \"twin\", \"dataset\": \"spiral\", \"l2\": 0.001, \"epochs\": 40, \"batchSize\": 100,"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.01}, \"evalEvery\": 1000}";
        String launched = fixture.api.createRun(config);

        RunConfig cfg = ConfigParser.parse(config);
        Dataset data = Datasets.load(cfg);
        Nd4j.getRandom().setSeed(cfg.seed());
        MultiLayerNetwork net = Models.build(cfg, data);
        TrainwatchListener tw = new TrainwatchListener(TrainwatchClient.builder(fixture.api.base, "twin-remote").spoolDir(spool)
                .flushIntervalMs(50).start(), 25);
        net.setListeners(tw);
        WsProbe live = null;
        MiniBatches batches = new MiniBatches(data.trainX(), data.trainY(), data.features(), data.numClasses(), cfg.batchSize(), cfg.seed());
        int steps = 0;
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            batches.shuffle();
            for (int b = 0; b < batches.perEpoch(); b++) {
                net.fit(batches.batch(b).data());
                steps++;
                if (live == null) { // after the first step: the client creates its run in the background, training goes on meanwhile
                    Api.await("the remote run created", Duration.ofSeconds(60), () -> tw.client().runId() != null);
                    live = WsProbe.open(fixture.api.base, "/api/runs/" + tw.client().runId() + "/live?after=0", true);
                }
            }
        }
        assertTrue(tw.finish(), "delivered: " + tw.client().error());
        String remote = tw.client().runId();
        tw.close();
        assertNotNull(live, "the remote run existed while training");
        WsProbe seen = live;
        int total = steps;
        Api.await("the remote run's steps arrived live", Duration.ofSeconds(60), () -> seen.steps("loss").size() == total && seen.sawStatus("finished"));
        seen.abort();

        Api.await("the launched run finished", Duration.ofSeconds(300), () -> fixture.api.status(launched).equals("finished"));
        JsonNode a = fixture.api.get("/api/runs/" + launched).json(), b = fixture.api.get("/api/runs/" + remote).json();
        Set<String> launchedTags = new TreeSet<>();
        a.get("tags").forEach(t -> launchedTags.add(t.asText()));
        launchedTags.removeIf(t -> t.startsWith("val_")); // validation is the user's own loop's to log (client.log)
        Set<String> remoteTags = new TreeSet<>();
        b.get("tags").forEach(t -> remoteTags.add(t.asText()));
        assertEquals(launchedTags, remoteTags);
        assertEquals(steps, scalars(remote, "loss").get("total").asInt());

        List<String> differences = new ArrayList<>();
        for (String tag : launchedTags) {
            if (tag.equals("examples_per_sec")) continue; // wall time: measured, not computed
            JsonNode x = scalars(launched, tag), y = scalars(remote, tag);
            assertEquals(x.get("total").asInt(), y.get("total").asInt(), tag);
            for (int i = 0; i < x.get("total").asInt(); i++) {
                double u = x.get("last").get(i).asDouble(), v = y.get("last").get(i).asDouble();
                if (Math.abs(u - v) > 1e-5 * Math.max(1e-3, Math.abs(u))) differences.add(tag + "@" + i + ": " + u + " vs " + v);
            }
        }
        assertEquals(List.of(), differences.subList(0, Math.min(10, differences.size())));
        assertEquals(a.get("filter_steps").asInt(), b.get("filter_steps").asInt());
    }
}
