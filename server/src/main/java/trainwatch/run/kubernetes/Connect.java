package trainwatch.run.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * `serve --executor kubernetes` reaches its cluster before it listens: the kubeconfig (KUBECONFIG,
 * ~/.kube/config) or the in-cluster service account, then one call the executor needs anyway (list Jobs,
 * limit 1) in the namespace. Any failure is one line, for an exit 2 without a stack trace.
 */
public final class Connect {
    private Connect() {}

    /** Why the cluster cannot be used, in one line. */
    public static final class Unreachable extends Exception {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** A client for {@code namespace} (null = the kubeconfig's or service account's, else "default"), checked reachable. */
    public static KubernetesClient client(String namespace) throws Unreachable {
        KubernetesClient client = null;
        try {
            Config auto = Config.autoConfigure(null);
            ConfigBuilder b = new ConfigBuilder(auto).withConnectionTimeout(5_000).withRequestTimeout(15_000)
                    .withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(200);
            if (namespace != null) b.withNamespace(namespace);
            else if (auto.getNamespace() == null) b.withNamespace("default");
            client = new KubernetesClientBuilder().withConfig(b.build()).build();
            new Cluster(client, client.getNamespace()).probe();
            return client;
        } catch (KubernetesClientException e) {
            if (client != null) client.close();
            String where = client == null ? "" : " at " + client.getMasterUrl();
            if (e.getCode() == 401 || e.getCode() == 403)
                throw new Unreachable("the Kubernetes API" + where + " refused to list Jobs in namespace " + client.getNamespace() + " ("
                        + e.getCode() + "): " + Cluster.message(e) + "; see docker/k8s/role.yaml");
            throw new Unreachable("no reachable Kubernetes cluster" + where + " (" + rootCause(e) + "); set KUBECONFIG, or run in a pod with a service account");
        } catch (RuntimeException e) {
            if (client != null) client.close();
            throw new Unreachable("no usable Kubernetes configuration (" + rootCause(e) + "); set KUBECONFIG, or run in a pod with a service account");
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
