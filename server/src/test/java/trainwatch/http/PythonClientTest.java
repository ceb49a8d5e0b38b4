package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.testkit.ServerProcess;

/**
 * clients/python/trainwatch_client.py run by python3 against a real server: it starts logging while
 * the server is down (spooling), the server comes up, it logs more and finishes; every value reads
 * back exactly, NaN and Infinity included. Skipped only when python3 is not installed
 * (scripts/test.sh installs it).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PythonClientTest {
    static final String SCRIPT = String.join("\n",
            "import sys",
            "sys.path.insert(0, sys.argv[1])",
            "from trainwatch_client import Run",
            "run = Run(sys.argv[2], 'python-client', config={'lr': 0.1, 'optimizer': 'sgd'}, spool_dir=sys.argv[3],",
            "          classes=3, flush_interval=0.02, max_batch=100)",
            "def values(step):",
            "    odd = float('nan') if step == 7 else float('inf') if step == 8 else float('-inf') if step == 9 else step * 0.1",
            "    return {'loss': 1.0 / (step + 1), 'acc/train': step / 599.0, 'odd': odd, 'gone': None}",
            "for step in range(300):",
            "    run.log(step, values(step))",
            "print('logged', run.pending(), flush=True)",
            "sys.stdin.readline()",
            "for step in range(300, 600):",
            "    run.log(step, values(step))",
            "ok = run.finish(timeout=120)",
            "print('done', run.id, ok, flush=True)",
            "sys.exit(0 if ok else 1)");

    @Test
    void the_python_client_delivers_a_run_whose_values_read_back_exactly(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(python3() != null, "python3 is not installed: the Python client test is skipped (scripts/test.sh installs it)");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        TrainwatchServer probe = new TrainwatchServer(ServerFixture.options(runs)).start();
        int port = probe.port();
        probe.close(); // nobody answers on the port while the client starts

        Path clients = ServerProcess.repoRoot().resolve("clients").resolve("python");
        Process py = new ProcessBuilder(python3(), "-c", SCRIPT, clients.toString(), "http://127.0.0.1:" + port, tmp.resolve("spool").toString())
                .redirectError(tmp.resolve("python.err").toFile()).start();
        TrainwatchServer server = null;
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
             Writer w = new OutputStreamWriter(py.getOutputStream(), StandardCharsets.UTF_8)) {
            String logged = r.readLine();
            out.add(logged);
            assertTrue(logged != null && logged.startsWith("logged 30"), "300 records spooled while the server was down: " + logged + err(tmp));
            server = new TrainwatchServer(ServerFixture.options(runs).withPort(port)).start();
            w.write("go\n");
            w.flush();
            String done = r.readLine();
            out.add(done);
            assertTrue(py.waitFor(3, TimeUnit.MINUTES), "python finished");
            assertEquals(0, py.exitValue(), out + err(tmp));
            String id = done.split(" ")[1];

            Api api = new Api(port);
            JsonNode run = api.get("/api/runs/" + id).json();
            assertEquals("finished", run.get("status").asText());
            assertEquals("python-client", run.get("name").asText());
            assertEquals(0.1, run.get("config").get("lr").asDouble());
            JsonNode loss = api.get("/api/runs/" + id + "/scalars?tag=loss&points=100000").json();
            JsonNode odd = api.get("/api/runs/" + id + "/scalars?tag=odd&points=100000").json();
            JsonNode acc = api.get("/api/runs/" + id + "/scalars?tag=acc/train&points=100000").json();
            assertEquals(600, loss.get("total").asInt(), "every step once, in order");
            for (int s = 0; s < 600; s++) {
                assertEquals(s, loss.get("step").get(s).asLong());
                assertEquals(1.0 / (s + 1), loss.get("last").get(s).asDouble(), 0.0, "loss at " + s);
                assertEquals(s / 599.0, acc.get("last").get(s).asDouble(), 0.0, "acc at " + s);
                String o = odd.get("last").get(s).asText();
                if (s == 7) assertEquals("NaN", o);
                else if (s == 8) assertEquals("Infinity", o);
                else if (s == 9) assertEquals("-Infinity", o);
                else assertEquals(s * 0.1, odd.get("last").get(s).asDouble(), 0.0, "odd at " + s);
            }
            assertEquals(404, api.get("/api/runs/" + id + "/scalars?tag=gone").status(), "a None value is left out");
            JsonNode check = run.get("checks").get(0);
            assertEquals("initial_loss", check.get("check").asText()); // 1.0 vs ln(3) = 1.0986: within 0.25
            assertEquals("pass", check.get("outcome").asText());
        } finally {
            py.destroyForcibly();
            if (server != null) {
                server.close();
                assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
                ServerFixture.assertNoFaults(server);
            }
        }
        try (var spooled = Files.list(tmp.resolve("spool"))) {
            assertEquals(0, spooled.count(), "the spool file is deleted once everything arrived");
        }
    }

    private static String err(Path tmp) {
        try {
            return "\npython stderr:\n" + Files.readString(tmp.resolve("python.err"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** python3 on the PATH, or null. */
    static String python3() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "python3");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
