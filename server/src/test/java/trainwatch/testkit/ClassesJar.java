package trainwatch.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** target/classes as one jar (made once per test JVM), for a child server that should load classes like the shipped jar. */
final class ClassesJar {
    private static Path jar;

    private ClassesJar() {}

    /** {@code classpath} with its target/classes entry replaced by a jar of the same files. */
    static synchronized String replaceClassesDir(String classpath) {
        List<String> out = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            out.add(p.endsWith(Path.of("target", "classes")) && Files.isDirectory(p) ? jarOf(p).toString() : entry);
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private static Path jarOf(Path classes) {
        if (jar != null) return jar;
        try {
            Path j = Files.createTempFile("trainwatch-classes", ".jar");
            j.toFile().deleteOnExit();
            try (OutputStream f = Files.newOutputStream(j); JarOutputStream z = new JarOutputStream(f); Stream<Path> walk = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                    String name = classes.relativize(p).toString().replace('\\', '/');
                    if (name.isEmpty()) continue;
                    boolean dir = Files.isDirectory(p);
                    z.putNextEntry(new JarEntry(dir ? name + "/" : name));
                    if (!dir) Files.copy(p, z);
                    z.closeEntry();
                }
            }
            jar = j;
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
