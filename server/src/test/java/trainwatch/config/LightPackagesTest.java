package trainwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The server validates configs with ConfigParser and never loads ND4J (so it
 * starts fast and a native crash cannot take it down): config and data must
 * not import DL4J, ND4J or Javalin.
 */
class LightPackagesTest {
    static final List<String> HEAVY = List.of("import org.nd4j", "import org.deeplearning4j", "import io.javalin", "import trainwatch.train");

    @Test
    void config_and_data_import_neither_nd4j_nor_dl4j_nor_javalin() throws IOException {
        for (String pkg : List.of("config", "data")) {
            Path dir = Path.of("src/main/java/trainwatch", pkg);
            try (Stream<Path> files = Files.list(dir)) {
                List<String> offenders = files.filter(f -> {
                    try {
                        String src = Files.readString(f);
                        return HEAVY.stream().anyMatch(src::contains);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).map(Path::toString).toList();
                assertEquals(List.of(), offenders);
            }
        }
    }
}
