package trainwatch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;

class IdxTest {
    @TempDir
    Path dir;

    @Test
    void plain_and_gzipped_image_files_read_the_same_scaled_pixels() throws Exception {
        byte[] content = IdxFixtures.images(5, 3, 4);
        IdxFixtures.write(dir.resolve("plain"), content, false);
        IdxFixtures.write(dir.resolve("packed.gz"), content, true);
        float[] plain = Idx.readImages(dir.resolve("plain"), 1, 3, 3, 4);
        assertArrayEquals(plain, Idx.readImages(dir.resolve("packed.gz"), 1, 3, 3, 4));
        assertEquals(3 * 12, plain.length);
        for (int i = 0; i < 3; i++)
            for (int p = 0; p < 12; p++) assertEquals((IdxFixtures.pixel(i + 1, p) & 0xff) / 255f, plain[i * 12 + p]);
        assertEquals(5, Idx.count(dir.resolve("packed.gz")));
    }

    @Test
    void labels_read_from_an_offset() throws Exception {
        IdxFixtures.write(dir.resolve("labels.gz"), IdxFixtures.labels(25), true);
        assertArrayEquals(new int[] {8, 9, 0, 1}, Idx.readLabels(dir.resolve("labels.gz"), 18, 4, 10));
    }

    @Test
    void malformed_files_are_reported_with_their_path() throws Exception {
        byte[] content = IdxFixtures.images(5, 3, 4);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(content, content.length - 1));
        assertEquals(truncated + " is truncated", assertThrows(DatasetException.class, () -> Idx.readImages(truncated, 0, 5, 3, 4)).getMessage());

        Path labels = dir.resolve("labels");
        IdxFixtures.write(labels, IdxFixtures.labels(3), false);
        String wrongKind = assertThrows(DatasetException.class, () -> Idx.readImages(labels, 0, 1, 3, 4)).getMessage();
        assertTrue(wrongKind.contains("is not an IDX image file"), wrongKind);

        Path small = dir.resolve("small");
        IdxFixtures.write(small, content, false);
        String shape = assertThrows(DatasetException.class, () -> Idx.readImages(small, 0, 1, 28, 28)).getMessage();
        assertTrue(shape.endsWith("has 3x4 images, expected 28x28"), shape);
        String few = assertThrows(DatasetException.class, () -> Idx.readImages(small, 3, 3, 3, 4)).getMessage();
        assertTrue(few.endsWith("has 5 examples, but examples 3..5 are needed"), few);
        String badLabel = assertThrows(DatasetException.class, () -> Idx.readLabels(labels, 0, 3, 2)).getMessage();
        assertTrue(badLabel.endsWith("has label 2 at index 2 (classes are 0..1)"), badLabel);
    }

    @Test
    void mnist_fixture_loads_first_examples_for_training_and_last_for_validation() throws Exception {
        IdxFixtures.dataset(dir, "mnist", 30, false);
        RunConfig c = ConfigParser.parse("{\"dataset\": \"mnist\", \"trainSize\": 20, \"valSize\": 5}", dir);
        Dataset d = Datasets.load(c, dir);
        assertEquals("mnist", d.name());
        assertArrayEquals(new int[] {1, 28, 28}, d.exampleShape());
        assertEquals(20, d.trainCount());
        assertEquals(5, d.valCount());
        assertArrayEquals(new int[] {5, 6, 7, 8, 9}, d.valY());
        assertEquals((IdxFixtures.pixel(25, 0) & 0xff) / 255f, d.valX()[0]);
        assertEquals((IdxFixtures.pixel(19, 783) & 0xff) / 255f, d.trainX()[19 * 784 + 783]);
    }

    @Test
    void fashion_fixture_loads_from_gz_files() throws Exception {
        IdxFixtures.dataset(dir, "fashion-mnist", 12, true);
        RunConfig c = ConfigParser.parse("{\"dataset\": \"fashion-mnist\", \"trainSize\": 10, \"valSize\": 2}", dir);
        Dataset d = Datasets.load(c, dir);
        assertEquals(10, d.trainCount());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, d.trainY());
        assertArrayEquals(new int[] {0, 1}, d.valY());
    }

    @Test
    void a_file_smaller_than_the_config_asks_for_is_reported() throws Exception {
        IdxFixtures.dataset(dir, "mnist", 10, false);
        RunConfig c = ConfigParser.parse("{\"dataset\": \"mnist\", \"trainSize\": 10, \"valSize\": 5}", dir);
        String msg = assertThrows(DatasetException.class, () -> Datasets.load(c, dir)).getMessage();
        assertEquals("mnist has 10 training examples, fewer than trainSize + valSize = 15", msg);
    }

    @Test
    void files_removed_after_parsing_give_the_setup_command() throws Exception {
        IdxFixtures.dataset(dir, "mnist", 10, false);
        RunConfig c = ConfigParser.parse("{\"dataset\": \"mnist\", \"trainSize\": 5, \"valSize\": 5}", dir);
        Files.delete(dir.resolve("mnist/train-labels-idx1-ubyte"));
        String msg = assertThrows(DatasetException.class, () -> Datasets.load(c, dir)).getMessage();
        assertTrue(msg.contains("train-labels-idx1-ubyte[.gz]") && msg.endsWith("run `bash scripts/setup-datasets.sh`"), msg);
    }
}
