package trainwatch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ShapesTest {
    static final int PIX = 28 * 28;
    final Dataset d = Shapes.generate(2000, 500, 42);

    @Test
    void images_are_28_by_28_grayscale_in_0_to_1() {
        assertArrayEquals(new int[] {1, 28, 28}, d.exampleShape());
        assertTrue(d.isImage());
        assertEquals(2000 * PIX, d.trainX().length);
        assertEquals(500 * PIX, d.valX().length);
        for (float v : d.trainX()) assertTrue(v >= 0f && v <= 1f, "pixel " + v);
    }

    @Test
    void ten_classes_are_balanced_in_both_splits() {
        assertEquals(10, d.numClasses());
        for (int c : counts(d.trainY())) assertEquals(200, c);
        for (int c : counts(d.valY())) assertEquals(50, c);
        int[] odd = counts(Shapes.generate(25, 1, 3).trainY());
        assertTrue(Arrays.stream(odd).max().getAsInt() - Arrays.stream(odd).min().getAsInt() <= 1, Arrays.toString(odd));
    }

    @Test
    void the_same_seed_draws_the_same_images_and_another_seed_other_ones() {
        Dataset again = Shapes.generate(2000, 500, 42);
        assertArrayEquals(d.trainX(), again.trainX());
        assertArrayEquals(d.trainY(), again.trainY());
        assertArrayEquals(d.valX(), again.valX());
        assertFalse(Arrays.equals(d.trainX(), Shapes.generate(2000, 500, 43).trainX()));
        assertFalse(Arrays.equals(Arrays.copyOf(d.trainX(), 500 * PIX), d.valX()));
    }

    @Test
    void class_mean_images_differ_clearly_from_each_other() {
        double[][] means = means(d.trainX(), d.trainY());
        for (int a = 0; a < 10; a++)
            for (int b = a + 1; b < 10; b++) {
                double rms = 0;
                for (int p = 0; p < PIX; p++) rms += Math.pow(means[a][p] - means[b][p], 2);
                rms = Math.sqrt(rms / PIX);
                assertTrue(rms > 0.03, Shapes.CLASS_NAMES[a] + " vs " + Shapes.CLASS_NAMES[b] + ": rms " + rms);
            }
    }

    @Test
    void a_nearest_class_mean_classifier_already_beats_chance_by_far() {
        double[][] means = means(d.trainX(), d.trainY());
        int right = 0;
        for (int i = 0; i < d.valCount(); i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int p = 0; p < PIX; p++) dist += Math.pow(d.valX()[i * PIX + p] - means[c][p], 2);
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            if (best == d.valY()[i]) right++;
        }
        double acc = right / (double) d.valCount();
        assertTrue(acc > 0.5, "nearest-mean accuracy " + acc);
    }

    @Test
    void each_image_has_a_shape_brighter_than_its_noise() {
        for (int i = 0; i < 100; i++) {
            int bright = 0;
            for (int p = 0; p < PIX; p++) if (d.trainX()[i * PIX + p] > 0.45) bright++;
            assertTrue(bright >= 10, "image " + i + " (" + Shapes.CLASS_NAMES[d.trainY()[i]] + ") has " + bright + " bright pixels");
        }
    }

    static double[][] means(float[] x, int[] y) {
        double[][] m = new double[10][PIX];
        int[] n = counts(y);
        for (int i = 0; i < y.length; i++)
            for (int p = 0; p < PIX; p++) m[y[i]][p] += x[i * PIX + p] / n[y[i]];
        return m;
    }

    static int[] counts(int[] labels) {
        int[] c = new int[10];
        for (int y : labels) c[y]++;
        return c;
    }
}
