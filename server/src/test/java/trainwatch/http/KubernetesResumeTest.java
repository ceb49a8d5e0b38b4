package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trainwatch.http.ClusterFixture.IMAGE;
import static trainwatch.http.ClusterFixture.NS;
import static trainwatch.http.ClusterFixture.PUBLIC;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import trainwatch.store.Resumed;
import trainwatch.store.RunReader;

/**
 * Resume on the kubernetes executor, against fabric8's mock API server in CRUD mode: the trainer of a run's first
 * Job sent its checkpoints to the server; the run is interrupted (its pod evicted); POST /api/runs/{id}/resume
 * makes a second Job (its own name, Secret and key, the checkpoint to continue from in its environment) whose
 * trainer reads that checkpoint back with the new key and sends the steps from the checkpoint on, which
 * supersede the earlier ones (one value per step, the resume marked, seq going on).
 */
class KubernetesResumeTest {
    @RegisterExtension
    static final ClusterFixture k8s = new ClusterFixture();

    @Test
    void an_interrupted_run_resumes_as_a_new_job_whose_trainer_reads_the_checkpoint_back_and_supersedes_the_later_steps() throws Exception {
        String id = k8s.api.createRun("{\"dataset\":\"spiral\",\"resources\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}");
        String first = "tw-" + id;
        k8s.awaitJob(first);
        String key1 = k8s.key(first);
        // the first trainer: steps 0..9, and the checkpoint it wrote after step 5 (step 6 is the next to run)
        StringBuilder rows = new StringBuilder("[");
        for (int s = 0; s < 10; s++) rows.append(s == 0 ? "" : ",").append("{\"type\":\"scalars\",\"step\":").append(s).append(",\"t\":1,\"values\":{\"loss\":").append(1.0 + s).append("}}");
        assertEquals(200, k8s.ingest(id, key1, 0, rows.append("]").toString()).status());
        byte[] zip = "a checkpoint zip, as ModelSerializer writes it".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, put(id, key1, "epoch-0002.zip.json", "{\"step\": 6, \"epoch\": 2, \"batch\": 0, \"val_acc\": 0.8}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, put(id, key1, "epoch-0002.zip", zip));
        // Kubernetes evicts the pod: the run is interrupted, and its checkpoint is on the server, not lost with the pod
        Pod evicted = k8s.createPod(first);
        evicted.getStatus().setPhase("Failed");
        evicted.getStatus().setReason("Evicted");
        evicted.getStatus().setMessage("The node was low on resource: memory.");
        k8s.updatePod(evicted);
        k8s.awaitStatus(id, "interrupted", "evicted");

        Api.Res resumed = k8s.api.post("/api/runs/" + id + "/resume", "{}");
        assertEquals(202, resumed.status(), resumed.body());
        String second = "tw-" + id + "-r1";
        Job job = k8s.awaitJob(second);
        assertEquals("queued", k8s.api.status(id));
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
        assertEquals(job.getMetadata().getUid(), k8s.client.secrets().inNamespace(NS).withName(second).get().getMetadata().getOwnerReferences().get(0).getUid());
        assertNotNull(k8s.job(first), "the first Job is left to its TTL");

        // the second trainer: a new key (the first pod's is void), the checkpoint read back, steps from 6 on
        String key2 = k8s.key(second);
        assertEquals(403, k8s.ingest(id, key1, 0, "[]").status(), "the first Job's key no longer writes");
        assertArrayEquals(zip, k8s.checkpoint(id, key2, "epoch-0002.zip"), "the checkpoint comes back byte for byte with the run's key");
        long next = k8s.ingest(id, key2, 0, "[]").json().get("next").asLong(); // what the client asks when it attaches
        assertEquals(10, next, "the client seq goes on");
        Pod running = k8s.createPod(second);
        running.getStatus().setPhase("Running");
        k8s.updatePod(running);
        k8s.awaitStatus(id, "running", "running"); // the first Job's evicted pod no longer speaks for the run
        rows = new StringBuilder("[");
        for (int s = 6; s < 12; s++) rows.append(s == 6 ? "" : ",").append("{\"type\":\"scalars\",\"step\":").append(s).append(",\"t\":2,\"values\":{\"loss\":").append(0.5 / s).append("}}");
        rows.append(",{\"type\":\"status\",\"status\":\"finished\",\"reason\":\"\"}]");
        Api.Res sent = k8s.ingest(id, key2, next, rows.toString());
        assertEquals(200, sent.status(), "steps 6..9 again are not refused as decreasing: " + sent.body());
        k8s.awaitStatus(id, "finished", "");

        var loss = k8s.api.get("/api/runs/" + id + "/scalars?tag=loss&points=1000").json();
        assertEquals(12, loss.get("total").asInt(), "one value per step: " + loss);
        for (int s = 0; s < 12; s++) {
            assertEquals(s, loss.get("step").get(s).asLong());
            assertEquals(s < 6 ? 1.0 + s : 0.5 / s, loss.get("last").get(s).asDouble(), 1e-12, "step " + s + ": the resumed value supersedes");
        }
        try (RunReader r = k8s.tw.store.reader(id)) {
            List<Resumed> marks = r.resumes();
            assertEquals(1, marks.size(), marks.toString());
            assertEquals(6, marks.get(0).fromStep());
            assertTrue(marks.get(0).seq() > 10, "seq goes on above every earlier record: " + marks);
        }
    }

    @Test
    void a_run_that_is_not_interrupted_or_stopped_is_not_resumed_and_gets_no_second_job() throws Exception {
        String id = k8s.createRun("{\"dataset\":\"spiral\"}");
        Api.Res r = k8s.api.post("/api/runs/" + id + "/resume", "{}");
        assertEquals(409, r.status(), r.body());
        assertNull(k8s.job("tw-" + id + "-r1"));
    }

    // --- helpers

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    int put(String id, String key, String name, byte[] body) {
        return k8s.api.send(HttpRequest.newBuilder(URI.create(k8s.api.base + "/api/ingest/runs/" + id + "/checkpoints/" + name))
                .header("Content-Type", "application/octet-stream").header("Authorization", "Bearer " + key)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))).status();
    }
}
