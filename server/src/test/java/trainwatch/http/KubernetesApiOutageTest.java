package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.KubernetesExecutor;

/**
 * The API server goes away while runs are live and comes back (the same CRUD state on the same port): trainwatch
 * keeps answering, trainers keep sending, a run submitted meanwhile waits as queued and gets its Job when the API
 * is back, and the informers re-sync (a Job status written after the outage reaches the run).
 */
class KubernetesApiOutageTest {
    static final String NS = "test";
    static final Duration WAIT = Duration.ofSeconds(120);

    final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    KubernetesMockServer mock;
    KubernetesClient client;
    TrainwatchServer tw;
    Path runs;

    @AfterEach
    void close() {
        if (tw != null) tw.close();
        if (mock != null) mock.destroy();
        Api.assertNo5xx();
        assertEquals(0, tw.stats.count(500, 600), "the server answered a 5xx");
    }

    KubernetesMockServer apiServer(int port) {
        KubernetesMockServer m = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false);
        m.init(InetAddress.getLoopbackAddress(), port);
        return m;
    }

    @Test
    void an_api_server_that_goes_away_and_comes_back_takes_nothing_down_and_informers_resync() throws Exception {
        mock = apiServer(0);
        int port = mock.getPort();
        client = mock.createClient();
        KubernetesClient executorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(100).withConnectionTimeout(2_000).build()).build();
        runs = Files.createTempDirectory("trainwatch-k8s-outage-");
        JobSpecs.Template t = new JobSpecs.Template(NS, "img:1", "http://trainwatch:7070", 600, 10);
        tw = new TrainwatchServer(ServerFixture.options(runs)
                .withExecutor((store, local, clock) -> new KubernetesExecutor(executorClient, t, store, local, clock))).start();
        Api api = new Api(tw.port());
        Api.await("recovered", WAIT, () -> ((KubernetesExecutor) tw.executor).recovered());

        String a = api.createRun("{\"dataset\":\"spiral\"}");
        Api.await("run a's Job", WAIT, () -> job(a) != null && client.secrets().inNamespace(NS).withName("tw-" + a).get() != null);
        String key = new String(Base64.getDecoder().decode(client.secrets().inNamespace(NS).withName("tw-" + a).get().getData().get("ingest-key")),
                StandardCharsets.UTF_8);
        assertEquals(200, ingest(api, a, key, 0, 0).status());

        mock.destroy(); // the API server goes away
        assertEquals(200, api.get("/api/runs").status(), "the dashboard answers");
        assertEquals(200, ingest(api, a, key, 1, 1).status(), "the trainer keeps sending");
        String b = api.createRun("{\"dataset\":\"spiral\"}");
        Api.await("run b waits for the API", WAIT, () -> api.get("/api/runs/" + b).json().path("reason").asText().startsWith("waiting for the Kubernetes API"));
        assertEquals("queued", api.status(b));
        assertEquals("running", api.status(a));

        mock = apiServer(port); // back, with the same objects
        Api.await("run b gets its Job once the API is back", WAIT, () -> job(b) != null);
        // a change made after the outage reaches the run: the informers watch again
        Job ja = job(a);
        ja.setStatus(new JobStatusBuilder().addNewCondition().withType("Failed").withStatus("True").withReason("DeadlineExceeded")
                .withMessage("Job was active longer than specified deadline").endCondition().build());
        client.batch().v1().jobs().inNamespace(NS).resource(ja).updateStatus();
        Api.await("run a failed with the reason given after the outage", WAIT, () -> api.get("/api/runs/" + a).json().path("reason").asText().contains("DeadlineExceeded"));
        assertEquals("failed", api.status(a));
        assertEquals(1, client.batch().v1().jobs().inNamespace(NS).list().getItems().stream().filter(j -> j.getMetadata().getName().equals("tw-" + b)).count());
        assertTrue(tw.executor.isActive(b));
    }

    Job job(String id) {
        try {
            return client.batch().v1().jobs().inNamespace(NS).withName("tw-" + id).get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Api.Res ingest(Api api, String id, String key, long seq, long step) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + ",\"records\":[{\"type\":\"scalars\",\"step\":" + step
                        + ",\"t\":1,\"values\":{\"loss\":1.0}}]}")));
    }
}
