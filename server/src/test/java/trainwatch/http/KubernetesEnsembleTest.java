package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.KubernetesExecutor;

/**
 * Ensemble evaluations as Kubernetes Jobs, against fabric8's mock API server in CRUD mode: POST /api/ensembles on
 * the kubernetes executor makes a Job (the image, `ensemble --eval ID --remote URL`, its key and bundle from a
 * Secret it owns, labels naming the ensemble, no retries, a TTL); the test plays its pod: it reads the members'
 * checkpoints with its key and posts running, then its result, which /api/ensembles/{id} serves. A Job that fails
 * fails the ensemble with Kubernetes' reason; DELETE deletes the Job.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEnsembleTest {
    static final String NS = "test";
    static final String IMAGE = "registry.example/trainwatch:1.2";
    static final String PUBLIC = "http://trainwatch.team.svc:7070";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String AGENT = "trainwatch-executor-under-test";
    static final String RESULT = "{\"id\": \"E\", \"dataset\": \"spiral\", \"val_examples\": 300, \"test_examples\": 0,"
            + " \"members\": [{\"run\": \"R\", \"checkpoint\": \"final\", \"name\": \"m\", \"seed\": 42, \"val_acc\": 0.9, \"val_loss\": 0.3,"
            + " \"test_acc\": null, \"test_loss\": null}], \"ensemble\": {\"val_acc\": 0.9, \"val_loss\": 0.3, \"test_acc\": null, \"test_loss\": null},"
            + " \"disagreement\": 0.0, \"mean_member_val_acc\": 0.9, \"best_member_val_acc\": 0.9, \"curve\": [], \"averaged\": null,"
            + " \"averaged_note\": \"not asked for\", \"images\": null, \"duration_ms\": 12, \"examples_per_sec\": 25000.0}";

    static KubernetesMockServer server;
    static KubernetesClient client;
    Path runs;
    TrainwatchServer tw;
    Api api;

    @BeforeEach
    void start() throws Exception {
        runs = Files.createTempDirectory("trainwatch-k8s-ensemble-");
        JobSpecs.Template t = new JobSpecs.Template(NS, IMAGE, PUBLIC, 600, 10);
        KubernetesClient executorClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        tw = new TrainwatchServer(ServerFixture.options(runs)
                .withExecutor((store, local, clock) -> new KubernetesExecutor(executorClient, t, store, local, clock))).start();
        api = new Api(tw.port());
        Api.await("the executor has taken in the cluster", WAIT, () -> ((KubernetesExecutor) tw.executor).recovered());
    }

    @AfterEach
    void stop() throws Exception {
        if (tw != null) tw.close();
        java.util.Set<String> granted = new java.util.TreeSet<>();
        for (var r : trainwatch.run.kubernetes.K8sAccess.RULES) for (String v : r.verbs()) granted.add(r.resource() + " " + v);
        io.fabric8.mockwebserver.http.RecordedRequest req;
        while ((req = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            if (!AGENT.equals(req.getHeader("User-Agent"))) continue;
            String call = K8sRoleTest.call(req.getMethod(), req.getPath());
            assertTrue(granted.contains(call), "the executor called " + call + " (" + req.getRequestLine() + "), which K8sAccess.RULES does not grant");
        }
        Api.assertNo5xx();
        assertEquals(0, tw.stats.count(500, 600), "the server answered a 5xx");
    }

    /** A finished run on the server with a final checkpoint (as its trainer, local or in a pod, left it). */
    String memberRun(byte[] zip) throws Exception {
        String id = tw.store.newId();
        tw.store.create(id, "{\"name\": \"m\", \"dataset\": \"spiral\", \"seed\": 42, \"resources\": {\"cpu\": \"1\", \"memory\": \"2Gi\"}}", RunStatus.FINISHED, "");
        Path dir = Files.createDirectories(runs.resolve(id).resolve("checkpoints"));
        Files.writeString(dir.resolve("final.zip.json"), "{\"step\": 100, \"epoch\": 5, \"batch\": 0, \"val_acc\": 0.9}");
        Files.write(dir.resolve("final.zip"), zip);
        return id;
    }

    String ensemble(String run) {
        Api.Res r = api.post("/api/ensembles", "{\"members\": [\"" + run + "\"]}");
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    @Test
    void an_evaluation_is_a_job_whose_pod_reads_the_members_checkpoints_and_posts_the_result_the_api_serves() throws Exception {
        byte[] zip = "member weights".getBytes(StandardCharsets.UTF_8);
        String run = memberRun(zip);
        String other = memberRun("not a member".getBytes(StandardCharsets.UTF_8));
        String id = ensemble(run);
        String name = "tw-ens-" + id;
        Job job = awaitJob(name);
        assertEquals(Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/ensemble", id), job.getMetadata().getLabels());
        assertEquals(job.getMetadata().getLabels(), job.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(0, job.getSpec().getBackoffLimit(), "no retries by Kubernetes");
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, c.getImage());
        assertEquals(List.of("ensemble", "--eval", id, "--remote", PUBLIC), c.getArgs());
        assertEquals("2Gi", c.getResources().getLimits().get("memory").toString(), "the first member's resources");
        assertNull(c.getEnv().stream().filter(e -> e.getName().equals("TRAINWATCH_EVAL_KEY")).findFirst().orElseThrow().getValue(), "the key only in the Secret");
        Secret secret = client.secrets().inNamespace(NS).withName(name).get();
        assertEquals(job.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid(), "owned by its Job");
        String key = decode(secret, "eval-key");
        JsonNode bundle = Json.tree(decode(secret, "ensemble"));
        assertEquals(List.of("final.zip.json", "final.zip"), List.of(bundle.path("files").path(run).get(0).asText(), bundle.path("files").path(run).get(1).asText()));
        assertEquals("spiral", Json.tree(bundle.path("configs").path(run).asText()).path("dataset").asText());
        assertEquals(id, bundle.path("spec").path("id").asText());

        // the pod: its key reads its members' checkpoints
        assertArrayEquals(zip, download(run, "final.zip", key));
        assertEquals(403, report(id, "twk_not-the-key", "{\"status\": \"running\"}").status(), "another key reports nothing");
        assertEquals(200, report(id, key, "{\"status\": \"running\"}").status());
        Api.await("running", WAIT, () -> api.get("/api/ensembles/" + id).json().path("status").asText().equals("running"));
        String result = RESULT.replace("\"E\"", "\"" + id + "\"").replace("\"R\"", "\"" + run + "\"");
        Api.Res done = report(id, key, "{\"status\": \"finished\", \"result\": " + result + "}");
        assertEquals(200, done.status(), done.body());
        JsonNode detail = api.get("/api/ensembles/" + id).json();
        assertEquals("finished", detail.path("status").asText(), detail.toString());
        assertEquals(Json.tree(result), detail.get("result"), "the result as the evaluation wrote it");
        assertEquals(0.9, api.get("/api/ensembles").json().get(0).path("val_acc").asDouble(), 1e-12);
        assertEquals(409, report(id, key, "{\"status\": \"failed\", \"reason\": \"late\"}").status(), "a final status stays");
        assertTrue(other != null);
    }

    @Test
    void a_failed_job_fails_the_ensemble_with_kubernetes_reason_and_delete_deletes_the_job() throws Exception {
        String run = memberRun("w".getBytes(StandardCharsets.UTF_8));
        String failing = ensemble(run);
        Job job = awaitJob("tw-ens-" + failing);
        job.setStatus(new JobStatusBuilder().addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").endCondition().withActive(0).build());
        client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();
        Api.await("failed with Kubernetes' reason", WAIT, () -> {
            JsonNode d = api.get("/api/ensembles/" + failing).json();
            return d.path("status").asText().equals("failed") && d.path("reason").asText().contains("BackoffLimitExceeded");
        });

        String deleted = ensemble(run);
        awaitJob("tw-ens-" + deleted);
        Api.Res del = api.delete("/api/ensembles/" + deleted);
        assertEquals(200, del.status(), del.body());
        Api.await("its Job deleted", WAIT, () -> client.batch().v1().jobs().inNamespace(NS).withName("tw-ens-" + deleted).get() == null);
        assertEquals(404, api.get("/api/ensembles/" + deleted).status());
    }

    // --- helpers

    static String decode(Secret s, String entry) {
        return new String(Base64.getDecoder().decode(s.getData().get(entry)), StandardCharsets.UTF_8);
    }

    Job awaitJob(String name) {
        Api.await("Job " + name, WAIT, () -> client.batch().v1().jobs().inNamespace(NS).withName(name).get() != null
                && client.secrets().inNamespace(NS).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    byte[] download(String run, String name, String key) throws Exception {
        HttpResponse<byte[]> r = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + run + "/checkpoints/" + name))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    Api.Res report(String id, String key, String body) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/ensembles/" + id + "/result"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
