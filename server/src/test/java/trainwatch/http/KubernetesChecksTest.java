package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trainwatch.http.ClusterFixture.IMAGE;
import static trainwatch.http.ClusterFixture.NS;
import static trainwatch.http.ClusterFixture.PUBLIC;
import static trainwatch.http.ClusterFixture.WAIT;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import trainwatch.json.Json;
import trainwatch.run.kubernetes.CheckJobSpecs;
import trainwatch.run.kubernetes.JobSpecs;

/**
 * Checks as Kubernetes Jobs, against fabric8's mock API server in CRUD mode: the Job a check gets, its reports over
 * HTTP reaching the run's view and live stream exactly as a local check's file does, the status mapping of its pod
 * (pending, failed, OOM-killed), a run delete taking its check Jobs with it, a restart re-attaching, and the
 * `check --remote` command against this real server giving the same result as a local check of the same config.
 */
@Timeout(600)
class KubernetesChecksTest {
    @RegisterExtension
    static final ClusterFixture k8s = new ClusterFixture();

    static final String SMALL = "{\"name\":\"tiny\",\"dataset\":\"spiral\",\"trainSize\":60,\"valSize\":20,\"batchSize\":20,"
            + "\"epochs\":1,\"seed\":7,\"model\":{\"type\":\"mlp\",\"hidden\":[8]},\"resources\":{\"cpu\":\"500m\",\"memory\":\"512Mi\"}}";

    // --- what a check becomes

    @Test
    void a_check_becomes_a_job_running_check_remote_with_its_own_key_and_the_runs_config_and_resources() throws Exception {
        String id = k8s.createRun(SMALL);
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/checks/overfit", "{}").status());
        assertEquals("queued", check(id, "overfit").path("outcome").asText(), "the check reads queued at once");
        Job job = awaitCheckJob(id, "overfit");
        assertTrue(job.getMetadata().getName().startsWith("tw-" + id + "-overfit-"), job.getMetadata().getName());
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "trainwatch", "trainwatch/check-run", id,
                "trainwatch/check", "overfit", "trainwatch/check-job", job.getMetadata().getName());
        assertEquals(labels, job.getMetadata().getLabels());
        assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels());
        assertNull(JobSpecs.runOf(job.getMetadata()), "not the run's own Job: the run's informer leaves it alone");
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, c.getImage());
        assertEquals(List.of("check", "overfit", "--remote", PUBLIC, "--run", id), c.getArgs());
        var keyEnv = c.getEnv().stream().filter(e -> e.getName().equals("TRAINWATCH_INGEST_KEY")).findFirst().orElseThrow();
        assertNull(keyEnv.getValue(), "the key is never in the Job itself");
        assertEquals(job.getMetadata().getName(), keyEnv.getValueFrom().getSecretKeyRef().getName());
        assertEquals(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")), c.getResources().getLimits());
        assertEquals(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")), c.getResources().getRequests());

        Secret secret = k8s.client.secrets().inNamespace(NS).withName(job.getMetadata().getName()).get();
        assertEquals(job.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid(), "deleted with its Job");
        assertEquals(Files.readString(k8s.runs.resolve(id).resolve("config.json")), k8s.secretEntry(secret.getMetadata().getName(), "run-config"));
        assertTrue(Files.exists(k8s.runs.resolve(id).resolve("check-overfit.kubernetes.json")), "the marker a restart re-attaches with");
        // its key reports this check, and nothing else: not the run's records, not another check
        String key = k8s.key(secret.getMetadata().getName());
        assertEquals(403, report(id, "gradients", key, "{\"outcome\":\"running\"}").status());
        assertEquals(403, k8s.ingest(id, key, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}}]").status(), "a check's key is not the run's ingest key");
        assertEquals(409, k8s.api.post("/api/runs/" + id + "/checks/overfit", "{}").status(), "already running");
        assertEquals(1, checkJobs(id).size());
        assertEquals("queued", k8s.api.status(id), "the run itself is untouched by its check's Job");
    }

    @Test
    void a_result_the_check_posts_reaches_the_run_view_and_the_live_socket_as_a_local_checks_file_does() throws Exception {
        String id = k8s.createRun(SMALL);
        WsProbe live = WsProbe.open(k8s.api.base, "/api/runs/" + id + "/live?after=0", true);
        Job job = startCheck(id, "overfit");
        String key = k8s.key(job.getMetadata().getName());
        assertEquals(401, report(id, "overfit", null, "{\"outcome\":\"running\"}").status(), "no key");
        assertEquals(403, report(id, "overfit", "twc_wrong", "{\"outcome\":\"running\"}").status(), "a wrong key");
        assertEquals(400, report(id, "overfit", key, "{\"outcome\":\"great\"}").status(), "an unknown outcome");

        Api.Res running = report(id, "overfit", key, "{\"outcome\":\"running\",\"summary\":\"the overfit check is running\",\"details\":"
                + "{\"pid\":4242,\"startedMs\":1795711000000}}");
        assertEquals(200, running.status(), running.body());
        assertEquals(List.of(), ApiDocs.undocumented(running.json(), ApiDocs.load().shape(REPORT_DOC, null), "report"), "docs/api.md names every key");
        JsonNode shown = check(id, "overfit");
        assertEquals("running", shown.path("outcome").asText(), "a pod's pid is not a process here: never read as killed");
        assertFalse(shown.path("details").has("pid"));
        assertEquals(job.getMetadata().getName(), shown.path("details").path("job").asText());

        Api.Res result = report(id, "overfit", key, "{\"outcome\":\"pass\",\"summary\":\"20 examples: loss 0.003, train_acc 1.0 after 120 iterations\","
                + "\"details\":{\"loss\":0.003,\"accuracy\":1.0,\"iterations\":120}}");
        assertEquals(200, result.status(), result.body());
        assertEquals("pass", result.json().path("outcome").asText());
        shown = check(id, "overfit");
        assertEquals("pass", shown.path("outcome").asText());
        assertEquals("20 examples: loss 0.003, train_acc 1.0 after 120 iterations", shown.path("summary").asText());
        assertEquals(120, shown.path("details").path("iterations").asInt());
        JsonNode file = Json.tree(Files.readString(k8s.runs.resolve(id).resolve("checks").resolve("overfit.json")));
        assertEquals(Set.of("check", "outcome", "summary", "details", "wallMs"), fieldNames(file), "the file a local check writes");
        Api.await("the live check message", WAIT, () -> live.ofType("check").stream()
                .anyMatch(m -> m.path("check").asText().equals("overfit") && m.path("outcome").asText().equals("pass")));
        assertEquals(409, report(id, "overfit", key, "{\"outcome\":\"fail\"}").status(), "the result is stored once");
        assertFalse(Files.exists(k8s.runs.resolve(id).resolve("check-overfit.kubernetes.json")), "settled: no marker left");

        // the pod then ends (the command exits 0 once its result is delivered): the result stands, the log is kept
        Pod p = k8s.createPod(job.getMetadata().getName());
        k8s.server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + p.getMetadata().getName() + "/log?pretty=false&limitBytes=524288")
                .andReturn(200, "Overfit check: tiny (mlp)\nResult: PASS\n").always();
        p.getStatus().setPhase("Succeeded");
        k8s.updatePod(p);
        k8s.jobCondition(job.getMetadata().getName(), "Complete", null, null);
        Api.await("the check's pod log saved", WAIT, () -> Files.exists(k8s.runs.resolve(id).resolve("check-overfit.log")));
        assertTrue(Files.readString(k8s.runs.resolve(id).resolve("check-overfit.log")).contains("Result: PASS"), "where a local check's output goes");
        assertEquals("pass", check(id, "overfit").path("outcome").asText());
        assertFalse(k8s.tw.executor.checkRunning(id, "overfit"));
    }

    // --- status mappings

    @Test
    void a_pending_check_reads_queued_then_running_and_a_failed_or_oom_killed_one_reads_fail_with_kubernetes_reason() throws Exception {
        String id = k8s.createRun(SMALL);
        Job overfit = startCheck(id, "overfit");
        Job gradients = startCheck(id, "gradients");

        Pod p = k8s.createPod(overfit.getMetadata().getName());
        p.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.").build()));
        k8s.updatePod(p);
        awaitCheck(id, "overfit", "queued", "Insufficient cpu");
        p = k8s.pod(overfit.getMetadata().getName());
        p.getStatus().setPhase("Running");
        p.getStatus().setConditions(List.of());
        k8s.updatePod(p);
        awaitCheck(id, "overfit", "running", "running");
        p = k8s.pod(overfit.getMetadata().getName());
        k8s.exited(p, "check", 1, "Error", "error: the result could not be stored");
        k8s.jobFailed(overfit.getMetadata().getName());
        awaitCheck(id, "overfit", "fail", "BackoffLimitExceeded");
        assertTrue(check(id, "overfit").path("summary").asText().contains("exited with code 1"), check(id, "overfit").toString());
        assertEquals("failed", check(id, "overfit").path("details").path("status").asText());

        Pod g = k8s.createPod(gradients.getMetadata().getName());
        k8s.exited(g, "check", 137, "OOMKilled", null);
        awaitCheck(id, "gradients", "fail", "OOMKilled");
        String summary = check(id, "gradients").path("summary").asText();
        assertTrue(summary.startsWith("interrupted: ") && summary.contains("512Mi") && summary.contains("the gradients check"), summary);
        assertEquals("interrupted", check(id, "gradients").path("details").path("status").asText());
        assertEquals("queued", k8s.api.status(id), "the check pods never touch the run's own status");
        // a failed check may be started again: a new Job, the old one left to its TTL
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/checks/gradients", "{}").status());
        Api.await("a second gradients Job", WAIT, () -> checkJobs(id).stream().filter(j -> j.getMetadata().getName().contains("-gradients-")).count() == 2);
    }

    @Test
    void a_failed_check_jobs_summary_waits_for_its_pods_exit_code_when_the_pod_update_comes_second() throws Exception {
        String id = k8s.createRun(SMALL);
        Job job = startCheck(id, "gradients");
        Pod p = k8s.createPod(job.getMetadata().getName());
        // the Job's failure is written before the pod's exit: the check is not settled without the exit code
        k8s.jobFailed(job.getMetadata().getName());
        k8s.exited(p, "check", 1, "Error", "error: no space left on device");
        awaitCheck(id, "gradients", "fail", "BackoffLimitExceeded");
        String summary = check(id, "gradients").path("summary").asText();
        assertTrue(summary.contains("exited with code 1") && summary.contains("no space left on device"), summary);
    }

    @Test
    void a_check_job_the_api_refuses_reads_fail_with_kubernetes_message_and_may_be_started_again() throws Exception {
        String id = k8s.createRun(SMALL);
        k8s.server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("jobs.batch is forbidden: exceeded quota: compute, requested: limits.memory=512Mi").build()).once();
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/checks/gradients", "{}").status());
        awaitCheck(id, "gradients", "fail", "exceeded quota");
        assertTrue(check(id, "gradients").path("summary").asText().contains("refused the check's Job (403)"), check(id, "gradients").toString());
        assertEquals(List.of(), checkJobs(id));
        assertFalse(k8s.tw.executor.checkRunning(id, "gradients"));
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/checks/gradients", "{}").status(), "started again once the quota allows");
        awaitCheckJob(id, "gradients");
    }

    // --- delete and restart

    @Test
    void deleting_a_run_deletes_its_check_jobs_first_and_no_checks_directory_reappears() throws Exception {
        String id = k8s.createRun(SMALL);
        String runKey = k8s.key("tw-" + id);
        assertEquals(200, k8s.ingest(id, runKey, 0, "[{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":1.1}},"
                + "{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"\"}]").status());
        Job job = startCheck(id, "overfit");
        String key = k8s.key(job.getMetadata().getName());
        assertEquals(200, report(id, "overfit", key, "{\"outcome\":\"running\"}").status());

        Api.Res deleted = k8s.api.delete("/api/runs/" + id);
        assertTrue(deleted.status() == 200 || deleted.status() == 204, deleted.body());
        assertEquals(List.of(), checkJobs(id), "the check's Job went with its run");
        int late = report(id, "overfit", key, "{\"outcome\":\"pass\",\"summary\":\"late\"}").status();
        assertTrue(late == 403 || late == 404, "a late report of a deleted run's check is refused, got " + late);
        assertFalse(Files.exists(k8s.runs.resolve(id)), "no checks/ directory reappears in the deleted run");
    }

    @Test
    void a_restarted_server_reattaches_to_a_running_check_job_and_creates_no_second_one() throws Exception {
        String id = k8s.createRun(SMALL);
        Job overfit = startCheck(id, "overfit");
        Job gradients = startCheck(id, "gradients");
        String key = k8s.key(overfit.getMetadata().getName());
        assertEquals(200, report(id, "overfit", key, "{\"outcome\":\"running\"}").status());
        Pod p = k8s.createPod(overfit.getMetadata().getName());
        p.getStatus().setPhase("Running");
        k8s.updatePod(p);
        k8s.tw.close();
        k8s.client.batch().v1().jobs().inNamespace(NS).withName(gradients.getMetadata().getName()).delete(); // gone while the server was down
        Api.await("the gradients Job is gone", WAIT, () -> k8s.job(gradients.getMetadata().getName()) == null);

        k8s.start();
        assertEquals(1, checkJobs(id).size(), "no Job created at restart");
        assertTrue(k8s.tw.executor.checkRunning(id, "overfit"), "re-attached");
        assertEquals(409, k8s.api.post("/api/runs/" + id + "/checks/overfit", "{}").status(), "still running: no duplicate");
        awaitCheck(id, "gradients", "fail", "gone when the server started");
        // the check goes on with the same key and its result lands
        assertEquals(200, report(id, "overfit", key, "{\"outcome\":\"warn\",\"summary\":\"loss 0.2 after the cap\",\"details\":{\"loss\":0.2}}").status());
        assertEquals("warn", check(id, "overfit").path("outcome").asText());
        assertEquals(1, checkJobs(id).size());
    }

    // --- the command a check Job runs, against this server

    @Test
    void check_remote_against_this_server_stores_the_same_result_as_a_local_check_of_the_same_config() throws Exception {
        String id = k8s.createRun(SMALL);
        Job job = startCheck(id, "overfit");
        String name = job.getMetadata().getName();
        Map<String, String> env = Map.of("TRAINWATCH_INGEST_KEY", k8s.key(name), "TRAINWATCH_RUN_CONFIG", k8s.secretEntry(name, "run-config"),
                "OMP_NUM_THREADS", "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = trainwatch.cli.CheckCommand.run(new String[]{"overfit", "--remote", k8s.api.base, "--run", id, "--max-iterations", "40"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode remote = Json.tree(Files.readString(k8s.runs.resolve(id).resolve("checks").resolve("overfit.json")));

        // the same config, checked as a local check process does it (runs/<id>/config.json on disk)
        Path localRuns = Files.createTempDirectory("trainwatch-local-check-");
        Files.createDirectories(localRuns.resolve(id));
        Files.copy(k8s.runs.resolve(id).resolve("config.json"), localRuns.resolve(id).resolve("config.json"));
        int localCode = trainwatch.cli.CheckCommand.run(new String[]{"overfit", "--run", id, "--runs", localRuns.toString(), "--max-iterations", "40"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        JsonNode local = Json.tree(Files.readString(localRuns.resolve(id).resolve("checks").resolve("overfit.json")));

        assertEquals(local.path("outcome").asText().equals("fail") ? 1 : 0, localCode, "a local check fails its process on fail");
        for (String f : List.of("check", "outcome", "summary")) assertEquals(local.path(f), remote.path(f), f);
        assertEquals(fieldNames(local), fieldNames(remote));
        Set<String> localKeys = fieldNames(local.path("details")), remoteKeys = fieldNames(remote.path("details"));
        remoteKeys.remove("job"); // which Job ran it: the only addition
        assertEquals(localKeys, remoteKeys);
        for (String k : localKeys) if (!k.equals("durationMs")) assertEquals(local.path("details").path(k), remote.path("details").path(k), "details." + k);
        assertEquals(job.getMetadata().getName(), remote.path("details").path("job").asText());
        assertEquals(remote.path("outcome").asText(), check(id, "overfit").path("outcome").asText(), "GET /api/runs/{id} shows it");
    }

    // --- helpers: the cluster's side

    static final String REPORT_DOC = "### `POST /api/ingest/runs/{id}/checks/{name}` — a check Job reports";

    List<Job> checkJobs(String id) {
        return k8s.client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .filter(j -> id.equals(CheckJobSpecs.runOf(j.getMetadata()))).toList();
    }

    /** Starts a check of the run (202) and returns its Job once it and its Secret exist. */
    Job startCheck(String id, String check) {
        assertEquals(202, k8s.api.post("/api/runs/" + id + "/checks/" + check, "{}").status());
        return awaitCheckJob(id, check);
    }

    Job awaitCheckJob(String id, String check) {
        Api.await("the " + check + " Job of run " + id, WAIT, () -> checkJobs(id).stream().anyMatch(j -> check.equals(j.getMetadata().getLabels().get("trainwatch/check"))
                && k8s.client.secrets().inNamespace(NS).withName(j.getMetadata().getName()).get() != null));
        return checkJobs(id).stream().filter(j -> check.equals(j.getMetadata().getLabels().get("trainwatch/check")))
                .max(java.util.Comparator.comparing(j -> j.getMetadata().getName())).orElseThrow();
    }

    // --- helpers: trainwatch's side

    Api.Res report(String id, String check, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(k8s.api.base + "/api/ingest/runs/" + id + "/checks/" + check))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return k8s.api.send(b);
    }

    /** The check as GET /api/runs/{id} shows it (missing node when it has none). */
    JsonNode check(String id, String name) {
        for (JsonNode c : k8s.api.get("/api/runs/" + id).json().path("checks")) if (c.path("check").asText().equals(name)) return c;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    void awaitCheck(String id, String name, String outcome, String summaryPart) {
        Api.await("check " + name + " of " + id + " " + outcome + " (" + summaryPart + ")", WAIT, () -> {
            JsonNode c = check(id, name);
            return c.path("outcome").asText().equals(outcome) && c.path("summary").asText().toLowerCase().contains(summaryPart.toLowerCase());
        });
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
