package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `serve --executor kubernetes` without a reachable cluster stops at once: exit code 2, one line on stderr naming
 * the reason, no stack trace, nothing listening. A real child JVM (the exit code and the output are the point).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a child JVM on a loaded 2-core machine
class ServeNoClusterTest {
    @TempDir
    Path tmp;

    @Test
    void without_a_reachable_cluster_serve_exits_2_with_one_line_and_no_stack_trace() throws Exception {
        // no kubeconfig anywhere, and an API server address where nothing listens
        Result r = serve(List.of("-Dkubernetes.master=https://127.0.0.1:1", "-Dkubernetes.auth.tryServiceAccount=false"),
                "serve", "--port", "0", "--runs", tmp.resolve("runs").toString(), "--executor", "kubernetes",
                "--k8s-image", "registry.example/trainwatch:1", "--public-url", "http://trainwatch:7070");
        assertEquals(2, r.code, r.err);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + r.err);
        assertTrue(lines.get(0).startsWith("serve: --executor kubernetes: no reachable Kubernetes cluster at https://127.0.0.1:1"), lines.get(0));
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception:"), "no stack trace: " + r.err);
        assertEquals("", r.out.strip(), "it never started serving");
    }

    @Test
    void kubernetes_without_an_image_or_public_url_is_a_usage_error() throws Exception {
        Result r = serve(List.of(), "serve", "--port", "0", "--runs", tmp.resolve("runs").toString(), "--executor", "kubernetes",
                "--public-url", "http://trainwatch:7070");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.startsWith("serve: --executor kubernetes needs --k8s-image IMAGE"), r.err);
        Result bad = serve(List.of(), "serve", "--port", "0", "--runs", tmp.resolve("runs").toString(), "--executor", "nomad");
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.startsWith("serve: --executor must be local or kubernetes (got nomad)"), bad.err);
    }

    record Result(int code, String out, String err) {}

    private Result serve(List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "trainwatch.Main"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("KUBECONFIG", tmp.resolve("no-such-kubeconfig").toString());
        pb.environment().put("HOME", tmp.toString()); // no ~/.kube/config either
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve did not exit: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
