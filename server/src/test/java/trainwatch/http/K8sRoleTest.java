package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import trainwatch.run.kubernetes.K8sAccess;

/**
 * docker/k8s/role.yaml grants exactly K8sAccess.RULES, the calls the executor's one API class makes (and
 * KubernetesExecutorTest checks every call the executor really made against the same list, and that each is used).
 */
class K8sRoleTest {
    static final Path ROLE = Path.of("..", "docker", "k8s", "role.yaml");

    @Test
    void the_role_in_docker_k8s_grants_every_verb_the_code_uses_and_nothing_else() throws Exception {
        Role role;
        try (InputStream in = Files.newInputStream(ROLE)) {
            role = new KubernetesSerialization().unmarshal(in, Role.class);
        }
        Set<String> yaml = new TreeSet<>();
        for (PolicyRule r : role.getRules()) {
            assertEquals(null, r.getResourceNames() == null || r.getResourceNames().isEmpty() ? null : r.getResourceNames(), "no resourceNames");
            for (String g : r.getApiGroups()) for (String res : r.getResources()) for (String v : r.getVerbs()) yaml.add(g + "/" + res + " " + v);
        }
        Set<String> code = new TreeSet<>();
        for (K8sAccess.Rule r : K8sAccess.RULES) for (String v : r.verbs()) code.add(r.apiGroup() + "/" + r.resource() + " " + v);
        assertEquals(code, yaml, "docker/k8s/role.yaml vs K8sAccess.RULES");
        assertEquals(false, yaml.stream().anyMatch(s -> s.contains("*")), "no wildcards");
    }

    @Test
    void requests_map_to_the_resource_and_verb_rbac_checks() {
        assertEquals("jobs create", call("POST", "/apis/batch/v1/namespaces/ns/jobs"));
        assertEquals("jobs list", call("GET", "/apis/batch/v1/namespaces/ns/jobs?labelSelector=a%3Db&limit=1"));
        assertEquals("jobs watch", call("GET", "/apis/batch/v1/namespaces/ns/jobs?labelSelector=a%3Db&watch=true&resourceVersion=3"));
        assertEquals("jobs delete", call("DELETE", "/apis/batch/v1/namespaces/ns/jobs/tw-1"));
        assertEquals("jobs get", call("GET", "/apis/batch/v1/namespaces/ns/jobs/tw-1"));
        assertEquals("pods/log get", call("GET", "/api/v1/namespaces/ns/pods/tw-1-abc/log?limitBytes=10"));
        assertEquals("secrets create", call("POST", "/api/v1/namespaces/ns/secrets"));
        assertEquals("secrets patch", call("PATCH", "/api/v1/namespaces/ns/secrets/tw-1"));
    }

    /** "resource verb" as RBAC sees a request (namespaced paths of the core and named API groups). */
    static String call(String method, String pathAndQuery) {
        String path = pathAndQuery, query = "";
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            path = pathAndQuery.substring(0, q);
            query = pathAndQuery.substring(q + 1);
        }
        String[] p = path.split("/");
        int ns = java.util.Arrays.asList(p).indexOf("namespaces");
        String resource = p[ns + 2];
        boolean named = p.length > ns + 3;
        if (p.length > ns + 4) resource += "/" + p[ns + 4]; // a subresource: pods/NAME/log
        boolean watch = java.util.Arrays.asList(query.split("&")).contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return resource + " " + verb;
    }
}
