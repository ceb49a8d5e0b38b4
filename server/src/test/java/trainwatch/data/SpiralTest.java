package trainwatch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SpiralTest {
    final Dataset d = Spiral.generate(300, 150, 42);

    @Test
    void default_spiral_has_300_two_d_points_100_per_class() {
        assertEquals(3, d.numClasses());
        assertArrayEquals(new int[] {2}, d.exampleShape());
        assertEquals(2, d.features());
        assertFalse(d.isImage());
        assertEquals(600, d.trainX().length);
        assertArrayEquals(new int[] {100, 100, 100}, counts(d.trainY()));
        assertArrayEquals(new int[] {50, 50, 50}, counts(d.valY()));
    }

    @Test
    void each_point_lies_on_its_class_arm_within_the_noise() {
        int off = 0;
        for (int i = 0; i < d.trainCount(); i++) {
            double x = d.trainX()[2 * i], y = d.trainX()[2 * i + 1];
            double r = Math.hypot(x, y);
            assertTrue(r <= 1.0 + 1e-6, "radius " + r);
            if (r < 0.05) continue; // the angle is meaningless at the centre
            // CS231n: (r sin t, r cos t) with t = 4j + 4r + noise(0.2)
            double expected = 4.0 * d.trainY()[i] + 4.0 * r;
            double diff = Math.atan2(x, y) - expected;
            diff = Math.atan2(Math.sin(diff), Math.cos(diff));
            if (Math.abs(diff) > 0.8) off++; // 4 sigma
        }
        assertTrue(off <= 1, off + " points off their arm");
    }

    @Test
    void radii_are_evenly_spaced_from_0_to_1_per_class() {
        double[] radii = new double[100];
        int k = 0;
        for (int i = 0; i < d.trainCount(); i++)
            if (d.trainY()[i] == 1) radii[k++] = Math.hypot(d.trainX()[2 * i], d.trainX()[2 * i + 1]);
        Arrays.sort(radii);
        for (int i = 0; i < 100; i++) assertEquals(i / 99.0, radii[i], 1e-6);
    }

    @Test
    void the_same_seed_gives_the_same_points_and_another_seed_other_ones() {
        Dataset again = Spiral.generate(300, 150, 42);
        assertArrayEquals(d.trainX(), again.trainX());
        assertArrayEquals(d.trainY(), again.trainY());
        assertArrayEquals(d.valX(), again.valX());
        assertFalse(Arrays.equals(d.trainX(), Spiral.generate(300, 150, 43).trainX()));
    }

    @Test
    void validation_points_are_not_copies_of_training_points() {
        Dataset same = Spiral.generate(300, 300, 42);
        assertFalse(Arrays.equals(same.trainX(), same.valX()));
    }

    @Test
    void classes_are_shuffled_so_minibatches_mix_them() {
        int[] first30 = Arrays.copyOf(d.trainY(), 30);
        assertTrue(Arrays.stream(counts(first30)).allMatch(c -> c > 0), Arrays.toString(first30));
    }

    @Test
    void sizes_not_divisible_by_three_still_work() {
        Dataset odd = Spiral.generate(10, 1, 1);
        assertArrayEquals(new int[] {4, 3, 3}, counts(odd.trainY()));
        assertEquals(1, odd.valCount());
    }

    static int[] counts(int[] labels) {
        int[] c = new int[3];
        for (int y : labels) c[y]++;
        return c;
    }
}
