package trainwatch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts `java -cp <this test's class path> trainwatch.Main ...` as a real child process, output to files. */
final class ChildJvm {
    private ChildJvm() {}

    static Process start(Path workDir, Path dataDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dtrainwatch.data=" + dataDir);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("trainwatch.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
