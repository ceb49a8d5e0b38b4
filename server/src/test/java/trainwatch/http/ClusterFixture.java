package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.K8sAccess;
import trainwatch.run.kubernetes.KubernetesExecutor;

/**
 * The one fixture of the tests against a mock cluster ({@code @RegisterExtension static final}): fabric8's mock API
 * server in CRUD mode for the class ({@link MockCluster}, started with retries: starting one costs seconds on a
 * loaded machine), and before each test a trainwatch server on a fresh runs/ whose kubernetes executor has a client
 * of its own, told apart from the test's by its User-Agent. After each test the server is closed and the test fails
 * if the executor made a call K8sAccess.RULES does not grant, or the server answered a 5xx; after the last one the
 * client and the mock server go. The mock server is shared: a test looks only at the Jobs of its own runs.
 * The test plays the cluster (it writes Job and pod status) and the trainer (over the ingest API).
 */
final class ClusterFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final String NS = "test";
    static final String IMAGE = "registry.example/trainwatch:1.2";
    static final String PUBLIC = "http://trainwatch.team.svc:7070";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String AGENT = "trainwatch-executor-under-test";

    /** Every (resource, verb) the executor called in this class's tests so far. */
    final Set<String> called = ConcurrentHashMap.newKeySet();
    /** Tests of this class that have ended (a filtered run exercises only part of the executor). */
    int testsDone;
    KubernetesMockServer server;
    KubernetesClient client;
    Path runs;
    TrainwatchServer tw;
    Api api;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MockCluster.start();
        client = server.createClient();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        runs = Files.createTempDirectory("trainwatch-k8s-");
        start();
    }

    /** A server on this test's runs/ (again, after a test closed {@link #tw}: a restart), once its executor has taken in the cluster. */
    void start() throws Exception {
        JobSpecs.Template t = new JobSpecs.Template(NS, IMAGE, PUBLIC, 600, 10);
        KubernetesClient executorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        tw = new TrainwatchServer(ServerFixture.options(runs)
                .withExecutor((store, local, clock) -> new KubernetesExecutor(executorClient, t, store, local, clock))).start();
        api = new Api(tw.port());
        KubernetesExecutor k = (KubernetesExecutor) tw.executor;
        Api.await("the executor has taken in the cluster", WAIT, () -> k.recovered() && k.remoteChecks().recovered());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (tw != null) tw.close();
        Set<String> granted = new TreeSet<>();
        for (var r : K8sAccess.RULES) for (String v : r.verbs()) granted.add(r.resource() + " " + v);
        RecordedRequest req;
        while ((req = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (!AGENT.equals(req.getHeader("User-Agent"))) continue;
            String call = K8sRoleTest.call(req.getMethod(), req.getPath());
            assertTrue(granted.contains(call), "the executor called " + call + " (" + req.getRequestLine() + "), which K8sAccess.RULES does not grant");
            called.add(call);
        }
        testsDone++;
        Api.assertNo5xx();
        assertEquals(0, tw.stats.count(500, 600), "the server answered a 5xx");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) client.close();
        if (server != null) server.destroy();
    }

    // --- the cluster's side

    /** A run created over the API, once its Job (tw-&lt;id&gt;) and Secret exist. */
    String createRun(String config) {
        String id = api.createRun(config);
        awaitJob("tw-" + id);
        return id;
    }

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    /** The Job once it and its Secret exist (a run's first Job is named tw-&lt;id&gt;). */
    Job awaitJob(String name) {
        Api.await("Job " + name, WAIT, () -> job(name) != null && client.secrets().inNamespace(NS).withName(name).get() != null);
        return job(name);
    }

    /** An entry of the Secret a Job's pod reads its key (and config) from. */
    String secretEntry(String name, String entry) {
        Secret s = client.secrets().inNamespace(NS).withName(name).get();
        assertNotNull(s, "the Secret " + name);
        return new String(Base64.getDecoder().decode(s.getData().get(entry)), StandardCharsets.UTF_8);
    }

    /** The key in the Job's Secret. */
    String key(String job) {
        return secretEntry(job, "ingest-key");
    }

    /** The pod the Job controller would make (named &lt;job&gt;-x7k2p): the Job's template, labels and all, pending. */
    Pod createPod(String jobName) {
        Job job = job(jobName);
        Pod p = new PodBuilder().withNewMetadata().withName(jobName + "-x7k2p").withNamespace(NS)
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus().build();
        client.pods().inNamespace(NS).resource(p).create();
        return pod(jobName);
    }

    Pod pod(String job) {
        return client.pods().inNamespace(NS).withName(job + "-x7k2p").get();
    }

    /** Writes the pod's status, as the kubelet would. */
    void updatePod(Pod p) {
        client.pods().inNamespace(NS).resource(p).updateStatus();
    }

    /** The pod's container has exited: phase Failed and the container's terminated state, written as the kubelet would. */
    void exited(Pod p, String container, int exitCode, String reason, String message) {
        p.getStatus().setPhase("Failed");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(container).withNewState().withNewTerminated()
                .withExitCode(exitCode).withReason(reason).withMessage(message).endTerminated().endState().build()));
        updatePod(p);
    }

    /** Writes the Job's status with one true condition and no active pod, as the Job controller would. */
    void jobCondition(String name, String type, String reason, String message) {
        Job j = job(name);
        j.setStatus(new JobStatusBuilder().addNewCondition().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .endCondition().withActive(0).build());
        client.batch().v1().jobs().inNamespace(NS).resource(j).updateStatus();
    }

    /** The Job controller gives up on the Job (its backoff limit is 0: the first failed pod). */
    void jobFailed(String name) {
        jobCondition(name, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }

    // --- trainwatch's side

    /** A trainer's batch of records, from client seq {@code first}, with its key. */
    Api.Res ingest(String id, String key, long first, String records) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + first + ",\"records\":" + records + "}")));
    }

    /** A checkpoint of a run, as a pod reads it with its key. */
    byte[] checkpoint(String run, String key, String name) throws Exception {
        HttpResponse<byte[]> r = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + run + "/checkpoints/" + name))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    String reason(String id) {
        return api.get("/api/runs/" + id).json().path("reason").asText();
    }

    void awaitStatus(String id, String status, String reasonPart) {
        Api.await("run " + id + " " + status + " (" + reasonPart + ")", WAIT, () -> {
            var d = api.get("/api/runs/" + id).json();
            return d.path("status").asText().equals(status) && d.path("reason").asText().toLowerCase().contains(reasonPart.toLowerCase());
        });
    }
}
