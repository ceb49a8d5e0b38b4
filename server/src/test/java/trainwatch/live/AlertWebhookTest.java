package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import trainwatch.event.Alert;

class AlertWebhookTest {
    @Test
    void the_webhook_posts_the_alert_with_its_run_in_the_live_messages_field_order() throws Exception {
        BlockingQueue<String> bodies = new ArrayBlockingQueue<>(4);
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try {
            new AlertWebhook(URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"))
                    .alert("run-1", new Alert(4, 3, 1000, "plateau", "val_acc", "no progress", "lower the rate"));

            String body = bodies.poll(60, TimeUnit.SECONDS);
            assertTrue(body != null, "nothing was posted within 60 s");
            assertEquals("{\"type\":\"alert\",\"run\":\"run-1\",\"seq\":4,\"step\":3,\"t\":1000,\"kind\":\"plateau\",\"severity\":\"info\",\"tag\":\"val_acc\","
                    + "\"message\":\"no progress\",\"advice\":\"lower the rate\"}", body);
        } finally {
            hook.stop(0);
        }
    }
}
