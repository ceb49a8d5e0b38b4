package trainwatch.http;

import java.util.HashMap;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's mock Kubernetes API server in CRUD mode with expectations (what {@code @EnableKubernetesMockClient(crud =
 * true)} builds), started with retries: on a loaded box its first start can exceed fabric8's own start timeout
 * ("Unable to start MockWebServer"), and a second start, with the classes loaded, does not.
 */
final class MockCluster {
    private MockCluster() {}

    static KubernetesMockServer start() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> responses = new HashMap<>();
            KubernetesMockServer s = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), false);
            try {
                s.init();
                return s;
            } catch (IllegalStateException e) {
                last = e;
                try {
                    s.destroy();
                } catch (RuntimeException ignored) {
                    // it never started
                }
            }
        }
        throw last;
    }
}
