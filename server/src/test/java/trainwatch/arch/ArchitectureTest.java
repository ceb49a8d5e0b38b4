package trainwatch.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Package rules, checked on the compiled classes' constant pools (every class, method
 * and field a class refers to is named there):
 * - the server (http, live, run) never refers to ND4J, DL4J or the trainer, so `serve`
 *   starts fast and a trainer crash cannot take it down;
 * - store and train never refer to Javalin: the run directory is the contract, not the web layer;
 * - everything `serve` can reach from ServeCommand is free of ND4J/DL4J, so the server never loads them;
 * - no two packages depend on each other, directly or through others: dependencies point one way,
 *   so each package can be read, tested and changed with only what it imports in mind.
 * Every rule fails when it finds no classes to check: a moved build directory must not pass as "no violations".
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final List<String> ML = List.of("org/nd4j/", "org/deeplearning4j/", "trainwatch/train/");

    @Test
    void http_live_and_run_never_refer_to_nd4j_dl4j_or_the_trainer() throws IOException {
        for (String pkg : List.of("http", "live", "run")) {
            List<Path> classes = classesOf("trainwatch/" + pkg);
            assertFalse(classes.isEmpty(), "no compiled classes in trainwatch." + pkg);
            for (Path c : classes) assertEquals(Set.of(), matching(references(c), ML), c + " must not refer to these");
        }
    }

    @Test
    void store_and_train_never_refer_to_javalin() throws IOException {
        for (String pkg : List.of("store", "train")) {
            List<Path> classes = classesOf("trainwatch/" + pkg);
            assertFalse(classes.isEmpty(), "no compiled classes in trainwatch." + pkg);
            for (Path c : classes) assertEquals(Set.of(), matching(references(c), List.of("io/javalin/")), c + " must not refer to Javalin");
        }
    }

    @Test
    void nothing_reachable_from_the_serve_command_refers_to_nd4j_or_dl4j() throws IOException {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of("trainwatch/cli/ServeCommand"));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) continue;
            Path file = CLASSES.resolve(name + ".class");
            if (!Files.exists(file)) continue;
            Set<String> refs = references(file);
            assertEquals(Set.of(), matching(refs, List.of("org/nd4j/", "org/deeplearning4j/")), name + " (reachable from serve) refers to these");
            for (String r : refs) if (r.startsWith("trainwatch/") && !r.equals("trainwatch/Main")) todo.push(r);
        }
        assertTrue(seen.contains("trainwatch/http/HttpApp"), "the walk reached the web app: " + seen);
        assertTrue(seen.contains("trainwatch/config/ConfigParser"), "the walk reached the config parser: " + seen);
    }

    @Test
    void no_package_depends_on_itself_through_other_packages() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue(graph.keySet().containsAll(List.of("trainwatch", "cli", "config", "data", "event", "http", "lab", "live", "run", "store", "train")),
                "the graph covers every package: " + graph.keySet());
        List<List<String>> cycles = PackageCycles.of(graph);
        assertEquals(List.of(), cycles, "package cycles (each list is a strongly connected set of packages): " + graph);
    }

    @Test
    void the_cycle_finder_sees_a_planted_cycle() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c"));
        graph.put("c", Set.of("a"));
        graph.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), PackageCycles.of(graph));
        graph.put("c", Set.of());
        assertEquals(List.of(), PackageCycles.of(graph));
    }

    /** Package (below trainwatch/; "trainwatch" for the root) -> the other trainwatch packages its classes refer to. */
    private static Map<String, Set<String>> packageGraph() throws IOException {
        List<Path> all = classesOf("trainwatch");
        assertTrue(all.size() > 50, "expected the compiled classes under " + CLASSES.toAbsolutePath() + ", found " + all.size());
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path c : all) {
            String from = packageOf(CLASSES.relativize(c).toString().replace('\\', '/'));
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (String r : references(c)) {
                if (!r.startsWith("trainwatch/")) continue;
                String p = packageOf(r);
                if (!p.equals(from)) to.add(p);
            }
        }
        return graph;
    }

    private static String packageOf(String classPath) {
        String rest = classPath.substring("trainwatch/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "trainwatch" : rest.substring(0, slash);
    }

    private static List<Path> classesOf(String dir) throws IOException {
        Path root = CLASSES.resolve(dir);
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".class")).toList();
        }
    }

    private static Set<String> matching(Set<String> refs, List<String> prefixes) {
        Set<String> out = new TreeSet<>();
        for (String r : refs) for (String p : prefixes) if (r.startsWith(p)) out.add(r);
        return out;
    }

    /** Class names a class file refers to: CONSTANT_Class entries plus every class inside descriptors/signatures. */
    static Set<String> references(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
            d.readUnsignedShort();
            d.readUnsignedShort();
            int count = d.readUnsignedShort();
            List<String> utf8 = new ArrayList<>(java.util.Collections.nCopies(count, (String) null));
            Set<Integer> classIdx = new HashSet<>();
            for (int i = 1; i < count; i++) {
                int tag = d.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.set(i, d.readUTF());
                    case 7, 8, 16, 19, 20 -> {
                        int idx = d.readUnsignedShort();
                        if (tag == 7) classIdx.add(idx);
                    }
                    case 15 -> {
                        d.readUnsignedByte();
                        d.readUnsignedShort();
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> d.readInt();
                    case 5, 6 -> {
                        d.readLong();
                        i++;
                    }
                    default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
                }
            }
            Set<String> out = new HashSet<>();
            for (int idx : classIdx) {
                String n = utf8.get(idx);
                if (n != null) out.add(n.replaceAll("^\\[*L?|;$", ""));
            }
            for (String s : utf8) {
                if (s == null) continue;
                var m = java.util.regex.Pattern.compile("L([A-Za-z0-9_/$]+)[;<]").matcher(s);
                while (m.find()) out.add(m.group(1));
            }
            return out;
        }
    }
}
