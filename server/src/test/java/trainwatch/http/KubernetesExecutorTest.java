package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trainwatch.http.ClusterFixture.IMAGE;
import static trainwatch.http.ClusterFixture.NS;
import static trainwatch.http.ClusterFixture.PUBLIC;
import static trainwatch.http.ClusterFixture.WAIT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import trainwatch.run.kubernetes.JobSpecs;

/**
 * The kubernetes executor against fabric8's mock API server in CRUD mode (no cluster): the Job and Secret a run
 * gets, and each status mapping, driven the way a cluster would (the test writes Job and pod status objects) while
 * the test plays the trainer over the ingest API with the key from the run's Secret.
 */
class KubernetesExecutorTest {
    @RegisterExtension
    static final ClusterFixture k8s = new ClusterFixture();

    // --- what a run becomes

    @Test
    void a_run_becomes_a_job_running_train_remote_with_its_key_from_a_secret_it_owns() throws Exception {
        String id = k8s.api.createRun("{\"dataset\":\"spiral\",\"resources\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}");
        Job job = k8s.awaitJob("tw-" + id);
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

        Secret secret = k8s.client.secrets().inNamespace(NS).withName("tw-" + id).get();
        assertNotNull(secret, "one Secret per run");
        assertEquals(labels, secret.getMetadata().getLabels());
        var owner = secret.getMetadata().getOwnerReferences().get(0);
        assertEquals("Job", owner.getKind());
        assertEquals(job.getMetadata().getUid(), owner.getUid(), "owned by its Job: deleted with it");
        String config = new String(Base64.getDecoder().decode(secret.getData().get("run-config")), StandardCharsets.UTF_8);
        assertEquals(Files.readString(k8s.runs.resolve(id).resolve("config.json")), config);
        // the key in the Secret is the run's ingest key: a trainer with it is accepted
        Api.Res ack = k8s.ingest(id, k8s.key("tw-" + id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]");
        assertEquals(200, ack.status(), ack.body());
        assertEquals("running", k8s.api.status(id));
        assertEquals(403, k8s.ingest(id, "twk_wrong", 1, "[]").status(), "any other key is refused");
    }

    // --- status mappings

    @Test
    void a_pod_the_scheduler_cannot_place_reads_queued_with_the_reason_then_running() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        Pod p = k8s.createPod("tw-" + id);
        p.getStatus().setPhase("Pending");
        p.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient memory.").build()));
        k8s.updatePod(p);
        k8s.awaitStatus(id, "queued", "Unschedulable");
        assertTrue(k8s.reason(id).contains("Insufficient memory"), k8s.reason(id));

        p = k8s.pod("tw-" + id);
        p.getStatus().setPhase("Running");
        p.getStatus().setConditions(List.of());
        k8s.updatePod(p);
        k8s.awaitStatus(id, "running", "running");
    }

    @Test
    void a_succeeded_job_keeps_the_trainers_own_final_status() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        String key = k8s.key("tw-" + id);
        assertEquals(200, k8s.ingest(id, key, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}},"
                + "{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"done by the trainer\"}]").status());
        Pod p = k8s.createPod("tw-" + id);
        p.getStatus().setPhase("Succeeded");
        k8s.updatePod(p);
        k8s.jobCondition("tw-" + id, "Complete", null, null);
        k8s.awaitStatus(id, "finished", "done by the trainer");
        Api.await("the run is settled", WAIT, () -> !k8s.tw.executor.isActive(id));
        assertEquals("finished", k8s.api.status(id));
        assertEquals("done by the trainer", k8s.reason(id));
    }

    @Test
    void a_failed_job_reads_failed_with_kubernetes_reason_and_the_trainers_last_words() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        Pod p = k8s.createPod("tw-" + id);
        k8s.exited(p, "trainer", 2, "Error", "error: mnist is not set up");
        k8s.jobFailed("tw-" + id);
        k8s.awaitStatus(id, "failed", "BackoffLimitExceeded");
        assertTrue(k8s.reason(id).contains("exited with code 2") && k8s.reason(id).contains("mnist is not set up"), k8s.reason(id));
    }

    @Test
    void a_failed_jobs_reason_waits_for_its_pods_exit_code_when_the_pod_update_comes_second() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        Pod p = k8s.createPod("tw-" + id);
        // the two informers have no order between them: here the Job's failure is written before the pod's exit
        k8s.jobFailed("tw-" + id);
        k8s.exited(p, "trainer", 3, "Error", "error: out of disk");
        k8s.awaitStatus(id, "failed", "BackoffLimitExceeded");
        assertTrue(k8s.reason(id).contains("exited with code 3") && k8s.reason(id).contains("out of disk"), k8s.reason(id));
    }

    @Test
    void a_failed_job_whose_pod_never_shows_its_exit_still_reads_failed() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        k8s.jobFailed("tw-" + id); // no pod at all: the wait for its exit ends, and the Job's own reason is recorded
        k8s.awaitStatus(id, "failed", "BackoffLimitExceeded");
        assertEquals("Kubernetes: Job failed (BackoffLimitExceeded: Job has reached the specified backoff limit)", k8s.reason(id));
    }

    @Test
    void an_evicted_pod_reads_interrupted_with_the_eviction_message_even_after_the_trainer_said_stopped() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        // the kubelet's SIGTERM reaches the trainer first: it records 'stopped', not knowing why
        assertEquals(200, k8s.ingest(id, k8s.key("tw-" + id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}},"
                + "{\"type\":\"status\",\"status\":\"stopped\",\"reason\":\"stopped by a signal\"}]").status());
        assertEquals("stopped", k8s.api.status(id));
        Pod p = k8s.createPod("tw-" + id);
        p.getStatus().setPhase("Failed");
        p.getStatus().setReason("Evicted");
        p.getStatus().setMessage("The node was low on resource: memory.");
        k8s.updatePod(p);
        k8s.awaitStatus(id, "interrupted", "evicted");
        assertTrue(k8s.reason(id).contains("The node was low on resource: memory."), k8s.reason(id));
    }

    @Test
    void an_oom_killed_trainer_reads_interrupted_naming_the_limit() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\",\"resources\":{\"memory\":\"512Mi\"}}");
        Pod p = k8s.createPod("tw-" + id);
        p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("512Mi"))).build());
        k8s.client.pods().inNamespace(NS).resource(p).update();
        p = k8s.pod("tw-" + id);
        k8s.exited(p, "trainer", 137, "OOMKilled", null);
        k8s.jobFailed("tw-" + id);
        k8s.awaitStatus(id, "interrupted", "OOMKilled");
        assertTrue(k8s.reason(id).contains("512Mi") && k8s.reason(id).contains("137"), k8s.reason(id));
    }

    @Test
    void stop_deletes_the_job_and_the_run_reads_stopped() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        assertEquals(200, k8s.ingest(id, k8s.key("tw-" + id), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]").status());
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/stop", "{}").status());
        Api.await("the Job is deleted", WAIT, () -> k8s.job("tw-" + id) == null);
        k8s.awaitStatus(id, "stopped", "stopped");
        assertEquals(409, k8s.api.post("/api/runs/" + id + "/stop", "{}").status(), "nothing left to stop");
    }

    @Test
    void a_job_the_api_refuses_leaves_the_run_failed_with_kubernetes_message() throws Exception {
        k8s.server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("jobs.batch \"x\" is forbidden: exceeded quota: compute, requested: limits.memory=4Gi, used: limits.memory=8Gi, limited: limits.memory=8Gi")
                        .build()).once();
        String id = k8s.api.createRun("{\"dataset\":\"spiral\"}");
        k8s.awaitStatus(id, "failed", "exceeded quota");
        assertTrue(k8s.reason(id).contains("403"), k8s.reason(id));
        assertNull(k8s.job("tw-" + id));
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
        Api.Res created = k8s.api.post("/api/sweeps", spec);
        assertEquals(201, created.status(), created.body());
        String sweep = created.json().get("id").asText();
        Api.await("3 trial Jobs", WAIT, () -> jobs().size() == 3);
        List<String> first = trialRuns(sweep);
        assertEquals(3, first.size(), "parallel: 3 trials at once");
        for (String run : first) k8s.awaitJob("tw-" + run);
        assertEquals(3, liveJobs(), "one Job per running trial, no more");

        // trial 2 reports a non-finite val_acc after its first epoch: ASHA prunes it at once, and its Job goes
        String pruned = first.get(1);
        assertEquals(200, k8s.ingest(pruned, k8s.key("tw-" + pruned), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.0,\"val_acc\":\"NaN\"}}]").status());
        Api.await("the pruned trial's Job is deleted", WAIT, () -> k8s.job("tw-" + pruned) == null);
        k8s.awaitStatus(pruned, "pruned", "rung 0");
        // the fourth trial takes its place: 3 Jobs alive again
        Api.await("the 4th trial's Job", WAIT, () -> trialRuns(sweep).size() == 4 && k8s.job("tw-" + trialRuns(sweep).get(3)) != null);
        List<String> rest = new java.util.ArrayList<>(trialRuns(sweep));
        rest.remove(pruned);
        for (String run : rest) k8s.awaitJob("tw-" + run);
        assertEquals(3, liveJobs(), "the sweep keeps 3 Jobs alive while trials remain");

        // the three trainers finish (equal val_acc: ASHA keeps ties), their Jobs complete
        for (String run : rest) {
            assertEquals(200, k8s.ingest(run, k8s.key("tw-" + run), 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.0,\"val_acc\":0.6}},"
                    + "{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":0.9,\"val_acc\":0.6}},"
                    + "{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"\"}]").status());
            k8s.jobCondition("tw-" + run, "Complete", null, null);
        }
        Api.await("the sweep finished", WAIT, () -> k8s.api.get("/api/sweeps/" + sweep).json().path("state").asText().equals("finished"));
        assertEquals(0, liveJobs());
        assertEquals(3, jobs().size(), "4 trials, 4 Jobs made, the pruned one deleted; never a second Job for a trial");
    }

    /** The Jobs of this test's runs (the mock server is shared by the class). */
    List<Job> jobs() {
        return k8s.client.batch().v1().jobs().inNamespace(NS).list().getItems().stream().filter(j -> ours(j.getMetadata())).toList();
    }

    boolean ours(io.fabric8.kubernetes.api.model.ObjectMeta m) {
        String run = JobSpecs.runOf(m);
        return run != null && Files.isDirectory(k8s.runs.resolve(run));
    }

    /** Jobs whose run has not ended. */
    long liveJobs() {
        return jobs().stream().map(j -> j.getMetadata().getAnnotations().get(JobSpecs.RUN_ANNOTATION))
                .filter(run -> !List.of("finished", "failed", "diverged", "stopped", "interrupted", "pruned").contains(k8s.api.status(run))).count();
    }

    List<String> trialRuns(String sweep) {
        List<String> out = new java.util.ArrayList<>();
        for (var t : k8s.api.get("/api/sweeps/" + sweep).json().path("trials")) if (t.hasNonNull("run")) out.add(t.get("run").asText());
        return out;
    }

    // --- restart

    @Test
    void a_restarted_server_reattaches_to_running_jobs_and_creates_no_second_one() throws Exception {
        String a = k8s.api.createRun("{\"dataset\":\"spiral\"}");
        String b = k8s.api.createRun("{\"dataset\":\"spiral\"}");
        k8s.awaitJob("tw-" + a);
        k8s.awaitJob("tw-" + b);
        String keyA = k8s.key("tw-" + a);
        assertEquals(200, k8s.ingest(a, keyA, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]").status());
        Pod pa = k8s.createPod("tw-" + a);
        pa.getStatus().setPhase("Running");
        k8s.updatePod(pa);
        k8s.awaitStatus(a, "running", "");

        k8s.tw.close();
        k8s.start();
        assertEquals(2, jobs().size(), "no duplicate Job");
        assertEquals(2, k8s.client.secrets().inNamespace(NS).list().getItems().stream().filter(x -> ours(x.getMetadata())).count());
        assertEquals("running", k8s.api.status(a));
        assertTrue(k8s.tw.executor.isActive(a) && k8s.tw.executor.isActive(b), "both re-attached");
        // the trainer goes on sending with the same key; the informer still maps its pod
        assertEquals(200, k8s.ingest(a, keyA, 1, "[{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":1.0}}]").status());
        Pod pb = k8s.createPod("tw-" + b);
        pb.getStatus().setPhase("Failed");
        pb.getStatus().setReason("Evicted");
        pb.getStatus().setMessage("node drained");
        k8s.updatePod(pb);
        k8s.awaitStatus(b, "interrupted", "node drained");
        assertEquals(2, jobs().size(), "still no duplicate Job");
    }

    @org.junit.jupiter.api.AfterAll
    static void every_rule_of_the_role_is_used() {
        long tests = java.util.Arrays.stream(KubernetesExecutorTest.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
        if (k8s.testsDone < tests) return; // a filtered run (-Dtest=Class#method) exercises only part of the executor
        java.util.Set<String> granted = new java.util.TreeSet<>();
        for (var r : trainwatch.run.kubernetes.K8sAccess.RULES) for (String v : r.verbs()) granted.add(r.resource() + " " + v);
        assertEquals(granted, new java.util.TreeSet<>(k8s.called), "the Role grants exactly the calls the executor made over these tests");
    }
}
