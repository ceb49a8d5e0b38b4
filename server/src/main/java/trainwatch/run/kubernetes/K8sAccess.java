package trainwatch.run.kubernetes;

import java.util.List;

/**
 * Every Kubernetes API call the kubernetes executor makes, as the RBAC rules it needs: the one list the code
 * ({@link Cluster}, the only class that calls the API) and docker/k8s/role.yaml must agree on, verb for verb
 * (K8sRoleTest reads both, and checks the calls a whole lifecycle makes against it).
 */
public final class K8sAccess {
    private K8sAccess() {}

    /** One Role rule: an API group ("" = core), a resource, its verbs. */
    public record Rule(String apiGroup, String resource, List<String> verbs) {}

    public static final List<Rule> RULES = List.of(
            // a Job per run; the informer lists and watches them; stop and prune delete one
            new Rule("batch", "jobs", List.of("create", "delete", "list", "watch")),
            // the informer on the Jobs' pods (pending, running, evicted, OOM-killed)
            new Rule("", "pods", List.of("list", "watch")),
            // the trainer's output on the run page (GET /api/runs/{id}/log)
            new Rule("", "pods/log", List.of("get")),
            // the run's ingest key, one Secret per run, owned by its Job (deleted with it)
            new Rule("", "secrets", List.of("create")));
}
