package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
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
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import trainwatch.run.kubernetes.JobSpecs;
import trainwatch.run.kubernetes.KubernetesExecutor;

/**
 * The kubernetes executor against fabric8's mock API server in CRUD mode (no cluster): the Job and Secret a run
 * gets, and each status mapping, driven the way a cluster would (the test writes Job and pod status objects) while
 * the test plays the trainer over the ingest API with the key from the run's Secret.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {
    static final String NS = "test";
    static final String IMAGE = "registry.example/trainwatch:1.2";
    static final String PUBLIC = "http://trainwatch.team.svc:7070";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String AGENT = "trainwatch-executor-under-test";
    /** Every (resource, verb) the executor called, over all tests: the Role must grant each, and each of its rules must be used. */
    static final java.util.Set<String> CALLED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final java.util.concurrent.atomic.AtomicInteger TESTS_DONE = new java.util.concurrent.atomic.AtomicInteger();

    // one mock API server for the class (starting one costs seconds on a loaded machine); each test has its own runs/
    // and looks only at the Jobs of its own runs
    static KubernetesMockServer server;
    static KubernetesClient client;
    Path runs;
    TrainwatchServer tw;
    Api api;

    @BeforeEach
    void start() throws Exception {
        runs = Files.createTempDirectory("trainwatch-k8s-");
        tw = startServer();
    }

    TrainwatchServer startServer() throws Exception {
        JobSpecs.Template t = new JobSpecs.Template(NS, IMAGE, PUBLIC, 600, 10);
        // the executor's own client, told apart from the test's by its User-Agent (the calls it makes are checked against the Role)
        KubernetesClient executorClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        TrainwatchServer s = new TrainwatchServer(ServerFixture.options(runs)
                .withExecutor((store, local, clock) -> new KubernetesExecutor(executorClient, t, store, local, clock))).start();
        api = new Api(s.port());
        Api.await("the executor has taken in the cluster", WAIT, () -> ((KubernetesExecutor) s.executor).recovered());
        return s;
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
            CALLED.add(call);
        }
        TESTS_DONE.incrementAndGet();
        Api.assertNo5xx();
        assertEquals(0, tw.stats.count(500, 600), "the server answered a 5xx");
    }

    // --- what a run becomes

    @Test
    void a_run_becomes_a_job_running_train_remote_with_its_key_from_a_secret_it_owns() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\",\"resources\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}");
        Job job = awaitJob(id);
        assertEquals("tw-" + id, job.getMetadata().getName());
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/run", id);
        assertEquals(labels, job.getMetadata().getLabels());
        assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels(), "the pods carry the labels too (the pod informer)");
        assertEquals(0, job.getSpec().getBackoffLimit(), "no retries by Kubernetes");
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals(10L, job.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, c.getImage());
        assertEquals(List.of("train", "--remote", PUBLIC, "--run", id), c.getArgs());
        var keyEnv = c.getEnv().stream().filter(e -> e.getName().equals("TRAINWATCH_INGEST_KEY")).findFirst().orElseThrow();
        assertNull(keyEnv.getValue(), "the key is never in the Job itself");
        assertEquals("tw-" + id, keyEnv.getValueFrom().getSecretKeyRef().getName());
        assertEquals("ingest-key", keyEnv.getValueFrom().getSecretKeyRef().getKey());
        var configEnv = c.getEnv().stream().filter(e -> e.getName().equals("TRAINWATCH_RUN_CONFIG")).findFirst().orElseThrow();
        assertEquals("tw-" + id, configEnv.getValueFrom().getSecretKeyRef().getName(), "the config travels with the key: no token needed to read it");
        assertEquals(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")), c.getResources().getRequests());
        assertEquals(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")), c.getResources().getLimits());

        Secret secret = client.secrets().inNamespace(NS).withName("tw-" + id).get();
        assertNotNull(secret, "one Secret per run");
        assertEquals(labels, secret.getMetadata().getLabels());
        var owner = secret.getMetadata().getOwnerReferences().get(0);
        assertEquals("Job", owner.getKind());
        assertEquals(job.getMetadata().getUid(), owner.getUid(), "owned by its Job: deleted with it");
        String config = new String(Base64.getDecoder().decode(secret.getData().get("run-config")), StandardCharsets.UTF_8);
        assertEquals(Files.readString(runs.resolve(id).resolve("config.json")), config);
        // the key in the Secret is the run's ingest key: a trainer with it is accepted
        Api.Res ack = ingest(id, key(id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]");
        assertEquals(200, ack.status(), ack.body());
        assertEquals("running", api.status(id));
        assertEquals(403, ingest(id, "twk_wrong", 1, "[]").status(), "any other key is refused");
    }

    // --- status mappings

    @Test
    void a_pod_the_scheduler_cannot_place_reads_queued_with_the_reason_then_running() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        Pod p = createPod(id);
        p.getStatus().setPhase("Pending");
        p.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient memory.").build()));
        updatePod(p);
        awaitStatus(id, "queued", "Unschedulable");
        assertTrue(reason(id).contains("Insufficient memory"), reason(id));

        p = pod(id);
        p.getStatus().setPhase("Running");
        p.getStatus().setConditions(List.of());
        updatePod(p);
        awaitStatus(id, "running", "running");
    }

    @Test
    void a_succeeded_job_keeps_the_trainers_own_final_status() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        String key = key(id);
        assertEquals(200, ingest(id, key, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}},"
                + "{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"done by the trainer\"}]").status());
        Pod p = createPod(id);
        p.getStatus().setPhase("Succeeded");
        updatePod(p);
        jobCondition(id, "Complete", null, null);
        awaitStatus(id, "finished", "done by the trainer");
        Api.await("the run is settled", WAIT, () -> !tw.executor.isActive(id));
        assertEquals("finished", api.status(id));
        assertEquals("done by the trainer", reason(id));
    }

    @Test
    void a_failed_job_reads_failed_with_kubernetes_reason_and_the_trainers_last_words() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        Pod p = createPod(id);
        p.getStatus().setPhase("Failed");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("trainer").withNewState().withNewTerminated()
                .withExitCode(2).withReason("Error").withMessage("error: mnist is not set up").endTerminated().endState().build()));
        updatePod(p);
        jobCondition(id, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        awaitStatus(id, "failed", "BackoffLimitExceeded");
        assertTrue(reason(id).contains("exited with code 2") && reason(id).contains("mnist is not set up"), reason(id));
    }

    @Test
    void a_failed_jobs_reason_waits_for_its_pods_exit_code_when_the_pod_update_comes_second() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        Pod p = createPod(id);
        // the two informers have no order between them: here the Job's failure is written before the pod's exit
        jobCondition(id, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        p.getStatus().setPhase("Failed");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("trainer").withNewState().withNewTerminated()
                .withExitCode(3).withReason("Error").withMessage("error: out of disk").endTerminated().endState().build()));
        updatePod(p);
        awaitStatus(id, "failed", "BackoffLimitExceeded");
        assertTrue(reason(id).contains("exited with code 3") && reason(id).contains("out of disk"), reason(id));
    }

    @Test
    void an_evicted_pod_reads_interrupted_with_the_eviction_message_even_after_the_trainer_said_stopped() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        // the kubelet's SIGTERM reaches the trainer first: it records 'stopped', not knowing why
        assertEquals(200, ingest(id, key(id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}},"
                + "{\"type\":\"status\",\"status\":\"stopped\",\"reason\":\"stopped by a signal\"}]").status());
        assertEquals("stopped", api.status(id));
        Pod p = createPod(id);
        p.getStatus().setPhase("Failed");
        p.getStatus().setReason("Evicted");
        p.getStatus().setMessage("The node was low on resource: memory.");
        updatePod(p);
        awaitStatus(id, "interrupted", "evicted");
        assertTrue(reason(id).contains("The node was low on resource: memory."), reason(id));
    }

    @Test
    void an_oom_killed_trainer_reads_interrupted_naming_the_limit() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\",\"resources\":{\"memory\":\"512Mi\"}}");
        awaitJob(id);
        Pod p = createPod(id);
        p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("512Mi"))).build());
        client.pods().inNamespace(NS).resource(p).update();
        p = pod(id);
        p.getStatus().setPhase("Failed");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("trainer").withNewState().withNewTerminated()
                .withExitCode(137).withReason("OOMKilled").endTerminated().endState().build()));
        updatePod(p);
        jobCondition(id, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        awaitStatus(id, "interrupted", "OOMKilled");
        assertTrue(reason(id).contains("512Mi") && reason(id).contains("137"), reason(id));
    }

    @Test
    void stop_deletes_the_job_and_the_run_reads_stopped() throws Exception {
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(id);
        assertEquals(200, ingest(id, key(id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]").status());
        assertEquals(202, api.post("/api/runs/" + id + "/stop", "{}").status());
        Api.await("the Job is deleted", WAIT, () -> job(id) == null);
        awaitStatus(id, "stopped", "stopped");
        assertEquals(409, api.post("/api/runs/" + id + "/stop", "{}").status(), "nothing left to stop");
    }

    @Test
    void a_job_the_api_refuses_leaves_the_run_failed_with_kubernetes_message() throws Exception {
        server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("jobs.batch \"x\" is forbidden: exceeded quota: compute, requested: limits.memory=4Gi, used: limits.memory=8Gi, limited: limits.memory=8Gi")
                        .build()).once();
        String id = api.createRun("{\"dataset\":\"spiral\"}");
        awaitStatus(id, "failed", "exceeded quota");
        assertTrue(reason(id).contains("403"), reason(id));
        assertNull(job(id));
    }

    // --- sweeps

    @Test
    void a_sweep_with_parallel_3_keeps_3_jobs_alive_and_a_pruned_trials_job_is_deleted() throws Exception {
        String spec = """
                {"name": "k8s-sweep", "base": {"dataset": "spiral", "epochs": 2, "trainSize": 100, "valSize": 30, "batchSize": 100,
                                               "evalEvery": 1, "model": {"type": "mlp", "hidden": [8]}},
                 "method": "random", "metric": {"tag": "val_acc", "goal": "max"},
                 "parameters": {"optimizer.lr": {"values": [0.1, 0.2, 0.3, 0.4]}},
                 "trials": 4, "parallel": 3, "seed": 1,
                 "earlyStop": {"type": "asha", "minEpochs": 1, "reductionFactor": 2}}""";
        Api.Res created = api.post("/api/sweeps", spec);
        assertEquals(201, created.status(), created.body());
        String sweep = created.json().get("id").asText();
        Api.await("3 trial Jobs", WAIT, () -> jobs().size() == 3);
        List<String> first = trialRuns(sweep);
        assertEquals(3, first.size(), "parallel: 3 trials at once");
        for (String run : first) awaitJob(run);
        assertEquals(3, liveJobs(), "one Job per running trial, no more");

        // trial 2 reports a non-finite val_acc after its first epoch: ASHA prunes it at once, and its Job goes
        String pruned = first.get(1);
        assertEquals(200, ingest(pruned, key(pruned), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.0,\"val_acc\":\"NaN\"}}]").status());
        Api.await("the pruned trial's Job is deleted", WAIT, () -> job(pruned) == null);
        awaitStatus(pruned, "pruned", "rung 0");
        // the fourth trial takes its place: 3 Jobs alive again
        Api.await("the 4th trial's Job", WAIT, () -> trialRuns(sweep).size() == 4 && job(trialRuns(sweep).get(3)) != null);
        List<String> rest = new java.util.ArrayList<>(trialRuns(sweep));
        rest.remove(pruned);
        for (String run : rest) awaitJob(run);
        assertEquals(3, liveJobs(), "the sweep keeps 3 Jobs alive while trials remain");

        // the three trainers finish (equal val_acc: ASHA keeps ties), their Jobs complete
        for (String run : rest) {
            assertEquals(200, ingest(run, key(run), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.0,\"val_acc\":0.6}},"
                    + "{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":0.9,\"val_acc\":0.6}},"
                    + "{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"\"}]").status());
            jobCondition(run, "Complete", null, null);
        }
        Api.await("the sweep finished", WAIT, () -> api.get("/api/sweeps/" + sweep).json().path("state").asText().equals("finished"));
        assertEquals(0, liveJobs());
        assertEquals(3, jobs().size(), "4 trials, 4 Jobs made, the pruned one deleted; never a second Job for a trial");
    }

    /** The Jobs of this test's runs (the mock server is shared by the class). */
    List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream().filter(j -> ours(j.getMetadata())).toList();
    }

    boolean ours(io.fabric8.kubernetes.api.model.ObjectMeta m) {
        String run = JobSpecs.runOf(m);
        return run != null && Files.isDirectory(runs.resolve(run));
    }

    /** Jobs whose run has not ended. */
    long liveJobs() {
        return jobs().stream().map(j -> j.getMetadata().getAnnotations().get(JobSpecs.RUN_ANNOTATION))
                .filter(run -> !List.of("finished", "failed", "diverged", "stopped", "interrupted", "pruned").contains(api.status(run))).count();
    }

    List<String> trialRuns(String sweep) {
        List<String> out = new java.util.ArrayList<>();
        for (var t : api.get("/api/sweeps/" + sweep).json().path("trials")) if (t.hasNonNull("run")) out.add(t.get("run").asText());
        return out;
    }

    // --- restart

    @Test
    void a_restarted_server_reattaches_to_running_jobs_and_creates_no_second_one() throws Exception {
        String a = api.createRun("{\"dataset\":\"spiral\"}");
        String b = api.createRun("{\"dataset\":\"spiral\"}");
        awaitJob(a);
        awaitJob(b);
        String keyA = key(a);
        assertEquals(200, ingest(a, keyA, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]").status());
        Pod pa = createPod(a);
        pa.getStatus().setPhase("Running");
        updatePod(pa);
        awaitStatus(a, "running", "");

        tw.close();
        tw = startServer();
        assertEquals(2, jobs().size(), "no duplicate Job");
        assertEquals(2, client.secrets().inNamespace(NS).list().getItems().stream().filter(x -> ours(x.getMetadata())).count());
        assertEquals("running", api.status(a));
        assertTrue(tw.executor.isActive(a) && tw.executor.isActive(b), "both re-attached");
        // the trainer goes on sending with the same key; the informer still maps its pod
        assertEquals(200, ingest(a, keyA, 1, "[{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":1.0}}]").status());
        Pod pb = createPod(b);
        pb.getStatus().setPhase("Failed");
        pb.getStatus().setReason("Evicted");
        pb.getStatus().setMessage("node drained");
        updatePod(pb);
        awaitStatus(b, "interrupted", "node drained");
        assertEquals(2, jobs().size(), "still no duplicate Job");
    }

    @org.junit.jupiter.api.AfterAll
    static void every_rule_of_the_role_is_used() {
        long tests = java.util.Arrays.stream(KubernetesExecutorTest.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
        if (TESTS_DONE.get() < tests) return; // a filtered run (-Dtest=Class#method) exercises only part of the executor
        java.util.Set<String> granted = new java.util.TreeSet<>();
        for (var r : trainwatch.run.kubernetes.K8sAccess.RULES) for (String v : r.verbs()) granted.add(r.resource() + " " + v);
        assertEquals(granted, new java.util.TreeSet<>(CALLED), "the Role grants exactly the calls the executor made over these tests");
    }

    // --- helpers: the cluster's side

    Job job(String id) {
        return client.batch().v1().jobs().inNamespace(NS).withName("tw-" + id).get();
    }

    Job awaitJob(String id) {
        Api.await("the Job of run " + id, WAIT, () -> job(id) != null && client.secrets().inNamespace(NS).withName("tw-" + id).get() != null);
        return job(id);
    }

    String key(String id) {
        Secret s = client.secrets().inNamespace(NS).withName("tw-" + id).get();
        return new String(Base64.getDecoder().decode(s.getData().get("ingest-key")), StandardCharsets.UTF_8);
    }

    /** The pod the Job controller would make: the Job's template, labels and all. */
    Pod createPod(String id) {
        Job job = job(id);
        Pod p = new PodBuilder().withNewMetadata().withName("tw-" + id + "-x7k2p").withNamespace(NS)
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus().build();
        client.pods().inNamespace(NS).resource(p).create();
        return pod(id);
    }

    Pod pod(String id) {
        return client.pods().inNamespace(NS).withName("tw-" + id + "-x7k2p").get();
    }

    void updatePod(Pod p) {
        client.pods().inNamespace(NS).resource(p).updateStatus();
    }

    void jobCondition(String id, String type, String reason, String message) {
        Job j = job(id);
        j.setStatus(new JobStatusBuilder().addNewCondition().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .endCondition().withActive(0).build());
        client.batch().v1().jobs().inNamespace(NS).resource(j).updateStatus();
    }

    // --- helpers: trainwatch's side

    Api.Res ingest(String id, String key, long first, String records) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base + "/api/ingest/runs/" + id + "/records"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + first + ",\"records\":" + records + "}")));
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
