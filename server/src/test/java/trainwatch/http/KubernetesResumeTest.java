package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.KubernetesExecutor;
import trainwatch.store.Resumed;
import trainwatch.store.RunReader;

/**
 * Resume on the kubernetes executor, against fabric8's mock API server in CRUD mode: the trainer of a run's first
 * Job sent its checkpoints to the server; the run is interrupted (its pod evicted); POST /api/runs/{id}/resume
 * makes a second Job (its own name, Secret and key, the checkpoint to continue from in its environment) whose
 * trainer reads that checkpoint back with the new key and sends the steps from the checkpoint on, which
 * supersede the earlier ones (one value per step, the resume marked, seq going on).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesResumeTest {
    static final String NS = "test";
    static final String IMAGE = "registry.example/trainwatch:1.2";
    static final String PUBLIC = "http://trainwatch.team.svc:7070";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String AGENT = "trainwatch-executor-under-test";

    static KubernetesMockServer server;
    static KubernetesClient client;
    Path runs;
    TrainwatchServer tw;
    Api api;

    @BeforeEach
    void start() throws Exception {
        runs = Files.createTempDirectory("trainwatch-k8s-resume-");
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

    @Test
    void an_interrupted_run_resumes_as_a_new_job_whose_trainer_reads_the_checkpoint_back_and_supersedes_the_later_steps() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\",\"resources\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}");
        String first = "tw-" + id;
        awaitJob(first);
        String key1 = key(first);
        // the first trainer: steps 0..9, and the checkpoint it wrote after step 5 (step 6 is the next to run)
        StringBuilder rows = new StringBuilder("[");
        for (int s = 0; s < 10; s++) rows.append(s == 0 ? "" : ",").append("{\"type\":\"scalars\",\"step\":").append(s).append(",\"t\":1,\"values\":{\"loss\":").append(1.0 + s).append("}}");
        assertEquals(200, ingest(id, key1, 0, rows.append("]").toString()).status());
        byte[] zip = "a checkpoint zip, as ModelSerializer writes it".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, put(id, key1, "epoch-0002.zip.json", "{\"step\": 6, \"epoch\": 2, \"batch\": 0, \"val_acc\": 0.8}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, put(id, key1, "epoch-0002.zip", zip));
        // Kubernetes evicts the pod: the run is interrupted, and its checkpoint is on the server, not lost with the pod
        Pod evicted = createPod(first, first + "-x7k2p");
        evicted.getStatus().setPhase("Failed");
        evicted.getStatus().setReason("Evicted");
        evicted.getStatus().setMessage("The node was low on resource: memory.");
        client.pods().inNamespace(NS).resource(evicted).updateStatus();
        awaitStatus(id, "interrupted", "evicted");

        Api.Res resumed = api.post("/api/runs/" + id + "/resume", "{}");
        assertEquals(202, resumed.status(), resumed.body());
        String second = "tw-" + id + "-r1";
        Job job = awaitJob(second);
        assertEquals("queued", api.status(id));
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/run", id), job.getMetadata().getLabels());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/run", id, "trainwatch/job", second),
                job.getSpec().getTemplate().getMetadata().getLabels(), "its pods say which Job they belong to");
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, c.getImage());
        assertEquals(List.of("train", "--remote", PUBLIC, "--run", id), c.getArgs());
        assertEquals(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")), c.getResources().getLimits());
        assertEquals("epoch-0002.zip", env(c, "TRAINWATCH_RESUME_FROM").getValue(), "the newest checkpoint the server holds");
        assertEquals(second, env(c, "TRAINWATCH_INGEST_KEY").getValueFrom().getSecretKeyRef().getName());
        assertNull(env(c, "TRAINWATCH_INGEST_KEY").getValue(), "the key is never in the Job itself");
        assertEquals(second, env(c, "TRAINWATCH_RUN_CONFIG").getValueFrom().getSecretKeyRef().getName());
        assertEquals(job.getMetadata().getUid(), client.secrets().inNamespace(NS).withName(second).get().getMetadata().getOwnerReferences().get(0).getUid());
        assertNotNull(client.batch().v1().jobs().inNamespace(NS).withName(first).get(), "the first Job is left to its TTL");

        // the second trainer: a new key (the first pod's is void), the checkpoint read back, steps from 6 on
        String key2 = key(second);
        assertEquals(403, ingest(id, key1, 0, "[]").status(), "the first Job's key no longer writes");
        assertArrayEquals(zip, get(id, key2, "epoch-0002.zip"), "the checkpoint comes back byte for byte with the run's key");
        long next = ingest(id, key2, 0, "[]").json().get("next").asLong(); // what the client asks when it attaches
        assertEquals(10, next, "the client seq goes on");
        Pod running = createPod(second, second + "-b8n4q");
        running.getStatus().setPhase("Running");
        client.pods().inNamespace(NS).resource(running).updateStatus();
        awaitStatus(id, "running", "running"); // the first Job's evicted pod no longer speaks for the run
        rows = new StringBuilder("[");
        for (int s = 6; s < 12; s++) rows.append(s == 6 ? "" : ",").append("{\"type\":\"scalars\",\"step\":").append(s).append(",\"t\":2,\"values\":{\"loss\":").append(0.5 / s).append("}}");
        rows.append(",{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"\"}]");
        Api.Res sent = ingest(id, key2, next, rows.toString());
        assertEquals(200, sent.status(), "steps 6..9 again are not refused as decreasing: " + sent.body());
        awaitStatus(id, "finished", "");

        var loss = api.get("/api/runs/" + id + "/scalars?tag=loss&points=1000").json();
        assertEquals(12, loss.get("total").asInt(), "one value per step: " + loss);
        for (int s = 0; s < 12; s++) {
            assertEquals(s, loss.get("step").get(s).asLong());
            assertEquals(s < 6 ? 1.0 + s : 0.5 / s, loss.get("last").get(s).asDouble(), 1e-12, "step " + s + ": the resumed value supersedes");
        }
        try (RunReader r = tw.store.reader(id)) {
            List<Resumed> marks = r.resumes();
            assertEquals(1, marks.size(), marks.toString());
            assertEquals(6, marks.get(0).fromStep());
            assertTrue(marks.get(0).seq() > 10, "seq goes on above every earlier record: " + marks);
        }
    }

    @Test
    void a_run_that_is_not_interrupted_or_stopped_is_not_resumed_and_gets_no_second_job() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob("tw-" + id);
        Api.Res r = api.post("/api/runs/" + id + "/resume", "{}");
        assertEquals(409, r.status(), r.body());
        assertNull(client.batch().v1().jobs().inNamespace(NS).withName("tw-" + id + "-r1").get());
    }

    // --- helpers

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    Job awaitJob(String name) {
        Api.await("Job " + name, WAIT, () -> client.batch().v1().jobs().inNamespace(NS).withName(name).get() != null
                && client.secrets().inNamespace(NS).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    String key(String secret) {
        Secret s = client.secrets().inNamespace(NS).withName(secret).get();
        return new String(Base64.getDecoder().decode(s.getData().get("ingest-key")), StandardCharsets.UTF_8);
    }

    /** The pod the Job controller would make from the Job's template. */
    Pod createPod(String jobName, String podName) {
        Job job = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
        Pod p = new PodBuilder().withNewMetadata().withName(podName).withNamespace(NS)
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus().build();
        client.pods().inNamespace(NS).resource(p).create();
        return client.pods().inNamespace(NS).withName(podName).get();
    }

    Api.Res ingest(String id, String key, long first, String records) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + first + ",\"records\":" + records + "}")));
    }

    int put(String id, String key, String name, byte[] body) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/checkpoints/" + name))
                .header("Content-Type", "application/octet-stream").header("Authorization", "Bearer " + key)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))).status();
    }

    byte[] get(String id, String key, String name) throws Exception {
        HttpResponse<byte[]> r = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/checkpoints/" + name))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    void awaitStatus(String id, String status, String reasonPart) {
        Api.await("run " + id + " " + status + " (" + reasonPart + ")", WAIT, () -> {
            var d = api.get("/api/runs/" + id).json();
            return d.path("status").asText().equals(status) && d.path("reason").asText().toLowerCase().contains(reasonPart.toLowerCase());
        });
    }
}
