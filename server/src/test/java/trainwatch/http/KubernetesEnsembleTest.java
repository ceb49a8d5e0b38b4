package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trainwatch.http.ClusterFixture.IMAGE;
import static trainwatch.http.ClusterFixture.NS;
import static trainwatch.http.ClusterFixture.PUBLIC;
import static trainwatch.http.ClusterFixture.WAIT;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;

/**
 * Ensemble evaluations as Kubernetes Jobs, against fabric8's mock API server in CRUD mode: POST /api/ensembles on
 * the kubernetes executor makes a Job (the image, `ensemble --eval ID --remote URL`, its key and bundle from a
 * Secret it owns, labels naming the ensemble, no retries, a TTL); the test plays its pod: it reads the members'
 * checkpoints with its key and posts running, then its result, which /api/ensembles/{id} serves. A Job that fails
 * fails the ensemble with Kubernetes' reason; DELETE deletes the Job.
 */
class KubernetesEnsembleTest {
    @RegisterExtension
    static final ClusterFixture k8s = new ClusterFixture();

    static final String RESULT = "{\"id\": \"E\", \"dataset\": \"spiral\", \"val_examples\": 300, \"test_examples\": 0,"
            + " \"members\": [{\"run\": \"R\", \"checkpoint\": \"final\", \"name\": \"m\", \"seed\": 42, \"val_acc\": 0.9, \"val_loss\": 0.3,"
            + " \"test_acc\": null, \"test_loss\": null}], \"ensemble\": {\"val_acc\": 0.9, \"val_loss\": 0.3, \"test_acc\": null, \"test_loss\": null},"
            + " \"disagreement\": 0.0, \"mean_member_val_acc\": 0.9, \"best_member_val_acc\": 0.9, \"curve\": [], \"averaged\": null,"
            + " \"averaged_note\": \"not asked for\", \"images\": null, \"duration_ms\": 12, \"examples_per_sec\": 25000.0}";

    /** A finished run on the server with a final checkpoint (as its trainer, local or in a pod, left it). */
    String memberRun(byte[] zip) throws Exception {
        String id = k8s.tw.store.newId();
        k8s.tw.store.create(id, "{\"name\": \"m\", \"dataset\": \"spiral\", \"seed\": 42, \"resources\": {\"cpu\": \"1\", \"memory\": \"2Gi\"}}", RunStatus.FINISHED, "");
        Path dir = Files.createDirectories(k8s.runs.resolve(id).resolve("checkpoints"));
        Files.writeString(dir.resolve("final.zip.json"), "{\"step\": 100, \"epoch\": 5, \"batch\": 0, \"val_acc\": 0.9}");
        Files.write(dir.resolve("final.zip"), zip);
        return id;
    }

    String ensemble(String run) {
        Api.Res r = k8s.api.post("/api/ensembles", "{\"members\": [\"" + run + "\"]}");
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
        Job job = k8s.awaitJob(name);
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
        Secret secret = k8s.client.secrets().inNamespace(NS).withName(name).get();
        assertEquals(job.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid(), "owned by its Job");
        String key = k8s.secretEntry(name, "eval-key");
        JsonNode bundle = Json.tree(k8s.secretEntry(name, "ensemble"));
        assertEquals(List.of("final.zip.json", "final.zip"), List.of(bundle.path("files").path(run).get(0).asText(), bundle.path("files").path(run).get(1).asText()));
        assertEquals("spiral", Json.tree(bundle.path("configs").path(run).asText()).path("dataset").asText());
        assertEquals(id, bundle.path("spec").path("id").asText());

        // the pod: its key reads its members' checkpoints
        assertArrayEquals(zip, k8s.checkpoint(run, key, "final.zip"));
        assertEquals(403, report(id, "twk_not-the-key", "{\"status\": \"running\"}").status(), "another key reports nothing");
        assertEquals(200, report(id, key, "{\"status\": \"running\"}").status());
        Api.await("running", WAIT, () -> k8s.api.get("/api/ensembles/" + id).json().path("status").asText().equals("running"));
        String result = RESULT.replace("\"E\"", "\"" + id + "\"").replace("\"R\"", "\"" + run + "\"");
        Api.Res done = report(id, key, "{\"status\": \"finished\", \"result\": " + result + "}");
        assertEquals(200, done.status(), done.body());
        JsonNode detail = k8s.api.get("/api/ensembles/" + id).json();
        assertEquals("finished", detail.path("status").asText(), detail.toString());
        assertEquals(Json.tree(result), detail.get("result"), "the result as the evaluation wrote it");
        assertEquals(0.9, k8s.api.get("/api/ensembles").json().get(0).path("val_acc").asDouble(), 1e-12);
        assertEquals(409, report(id, key, "{\"status\": \"failed\", \"reason\": \"late\"}").status(), "a final status stays");
        assertTrue(other != null);
    }

    @Test
    void a_failed_job_fails_the_ensemble_with_kubernetes_reason_and_delete_deletes_the_job() throws Exception {
        String run = memberRun("w".getBytes(StandardCharsets.UTF_8));
        String failing = ensemble(run);
        Job job = k8s.awaitJob("tw-ens-" + failing);
        k8s.jobFailed(job.getMetadata().getName());
        Api.await("failed with Kubernetes' reason", WAIT, () -> {
            JsonNode d = k8s.api.get("/api/ensembles/" + failing).json();
            return d.path("status").asText().equals("failed") && d.path("reason").asText().contains("BackoffLimitExceeded");
        });

        String deleted = ensemble(run);
        k8s.awaitJob("tw-ens-" + deleted);
        Api.Res del = k8s.api.delete("/api/ensembles/" + deleted);
        assertEquals(200, del.status(), del.body());
        Api.await("its Job deleted", WAIT, () -> k8s.job("tw-ens-" + deleted) == null);
        assertEquals(404, k8s.api.get("/api/ensembles/" + deleted).status());
    }

    // --- helpers

    Api.Res report(String id, String key, String body) {
        return k8s.api.send(HttpRequest.newBuilder(URI.create(k8s.api.base + "/api/ingest/ensembles/" + id + "/result"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
