package trainwatch.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * trainwatch.search is pure: functions over doubles and seeded generators, so samplers,
 * ASHA and refine can be tested to the last digit and reused by the CLI, the server and
 * benchmarks alike. It refers to no other trainwatch package, no ND4J/DL4J, no Javalin,
 * and no file or network I/O (its state lives with whoever stores the trials).
 */
class SearchPurityTest {
    private static final List<String> FORBIDDEN = List.of("org/nd4j/", "org/deeplearning4j/", "io/javalin/",
            "com/fasterxml/", "java/io/File", "java/nio/file/", "java/net/", "java/io/InputStream", "java/io/OutputStream",
            "java/io/Reader", "java/io/Writer");

    @Test
    void search_refers_to_no_other_trainwatch_package_and_does_no_io() throws IOException {
        Path root = Path.of("target", "classes", "trainwatch", "search");
        List<Path> classes;
        try (Stream<Path> s = Files.walk(root)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() > 10, "compiled search classes: " + classes);
        for (Path c : classes) {
            Set<String> bad = new TreeSet<>();
            for (String r : ArchitectureTest.references(c)) {
                if (r.startsWith("trainwatch/") && !r.startsWith("trainwatch/search/")) bad.add(r);
                for (String f : FORBIDDEN) if (r.startsWith(f)) bad.add(r);
            }
            assertEquals(Set.of(), bad, c + " must stay pure");
        }
    }
}
