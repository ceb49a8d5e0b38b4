package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.store.RunWriter;

/** Check processes launched over the API report back (REST and live), and every new alert reaches the webhook and live clients. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class ChecksAndAlertsTest {
    static HttpServer hook;
    static final List<JsonNode> posted = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.of(o -> o.withWebhook(startHook()).withChildJvmArgs(List.of("-Xmx512m")));
    static TrainwatchServer server;
    static Api api;

    /** A webhook receiver on a free loopback port, started before the server that posts to it. */
    private static URI startHook() {
        try {
            hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        hook.createContext("/hook", ex -> {
            posted.add(Json.tree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        return URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
    }

    @BeforeAll
    static void names() {
        server = fixture.server;
        api = fixture.api;
    }

    @AfterAll
    static void stopHook() {
        hook.stop(0);
    }

    @Test
    void a_new_alert_is_posted_to_the_webhook_and_pushed_to_live_clients() throws Exception {
        String id = server.store.newId();
        server.store.create(id, "{\"name\":\"alerts\",\"dataset\":\"spiral\"}", RunStatus.QUEUED, "");
        try (RunWriter w = server.store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            w.scalars(0, new String[] {"loss"}, new double[] {1.1});
            w.flush();
            WsProbe live = WsProbe.open(api.base, "/api/runs/" + id + "/live", true);
            Api.await("hello", Duration.ofSeconds(60), () -> !live.ofType("hello").isEmpty());
            w.alert(0, "loss_exploding", "loss", "loss rose 5x above its minimum", "lower the learning rate");
            w.flush();
            Api.await("the webhook", Duration.ofSeconds(60), () -> !posted.isEmpty());
            JsonNode a = posted.get(0);
            assertEquals(id, a.get("run").asText());
            assertEquals("loss_exploding", a.get("kind").asText());
            assertEquals("lower the learning rate", a.get("advice").asText());
            Api.await("the live alert", Duration.ofSeconds(60), () -> !live.ofType("alert").isEmpty());
            assertEquals("loss", live.ofType("alert").get(0).get("tag").asText());
            assertEquals(1, api.get("/api/runs/" + id + "/alerts").json().size());
            w.status(RunStatus.FINISHED, "");
            Api.await("the live status", Duration.ofSeconds(60), () -> live.sawStatus("finished"));
            live.abort();
        }
        assertEquals(1, posted.size(), "posted once");
    }

    @Test
    void a_gradient_check_started_over_the_api_lands_in_the_run_and_in_the_live_stream() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\",\"epochs\":20,\"evalEvery\":10}");
        Api.await("finished", Duration.ofSeconds(180), () -> api.status(id).equals("finished"));
        WsProbe live = WsProbe.open(api.base, "/api/runs/" + id + "/live", true);
        Api.Res r = api.post("/api/runs/" + id + "/checks/gradients", "");
        assertEquals(202, r.status(), r.body());
        Api.await("the check result", Duration.ofSeconds(180), () -> {
            for (JsonNode c : api.get("/api/runs/" + id).json().get("checks"))
                if (c.get("check").asText().equals("gradients") && !c.get("outcome").asText().equals("running")) return true;
            return false;
        });
        Api.await("the live check message", Duration.ofSeconds(60), () -> live.ofType("check").stream()
                .anyMatch(c -> c.get("check").asText().equals("gradients") && !c.get("outcome").asText().equals("running")));
        live.abort();
        assertEquals(404, api.post("/api/runs/" + id + "/checks/nonsense", "").status());
    }

    @Test
    void a_remote_run_trained_by_train_remote_takes_checks_and_seeds_from_its_trainer_config() {
        // what `train CONFIG.json --remote URL` creates: a trainwatch config, plus the keys the server adds (remote, classes, origin)
        Ingest run = Ingest.create(api, "{\"name\": \"remote-spiral\", \"classes\": 3, \"config\": {\"dataset\": \"spiral\", \"epochs\": 2}}");
        Api.Res r = api.post("/api/runs/" + run.id + "/checks/overfit", "");
        assertEquals(202, r.status(), r.body());
        Api.await("the check result", Duration.ofSeconds(240), () -> {
            for (JsonNode c : api.get("/api/runs/" + run.id).json().get("checks"))
                if (c.get("check").asText().equals("overfit") && !c.get("outcome").asText().equals("running")) return true;
            return false;
        });
        for (JsonNode c : api.get("/api/runs/" + run.id).json().get("checks"))
            if (c.get("check").asText().equals("overfit"))
                assertTrue(!c.get("summary").asText().startsWith("bad config"), "trained from the trainer part of the stored config: " + c);
        Api.Res seeds = api.post("/api/ensembles", "{\"seeds\": 2, \"run\": \"" + run.id + "\"}");
        assertEquals(201, seeds.status(), seeds.body());
        JsonNode started = seeds.json().get("runs");
        assertEquals(2, started.size(), seeds.body());
        for (JsonNode id : started) {
            JsonNode config = api.get("/api/runs/" + id.asText()).json().get("config");
            assertEquals("spiral", config.get("dataset").asText(), config.toString());
            assertTrue(!config.has("remote") && !config.has("origin"), "a seed run is a local run of the trainer config: " + config);
        }
    }

    @Test
    void a_remote_run_with_its_clients_own_config_refuses_checks_and_seeds_saying_why() {
        Ingest run = Ingest.create(api, "{\"name\": \"pytorch\", \"config\": {\"lr\": 0.1, \"momentum\": 0.9}}");
        Api.Res r = api.post("/api/runs/" + run.id + "/checks/overfit", "");
        assertEquals(409, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("not a trainwatch run config"), r.body());
        assertTrue(api.get("/api/runs/" + run.id).json().get("checks").isEmpty(), "no check was started");
        Api.Res seeds = api.post("/api/ensembles", "{\"seeds\": 2, \"run\": \"" + run.id + "\"}");
        assertEquals(400, seeds.status(), seeds.body());
        assertTrue(seeds.body().contains("not a trainwatch run config"), seeds.body());
    }
}
