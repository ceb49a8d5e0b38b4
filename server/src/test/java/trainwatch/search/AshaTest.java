package trainwatch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AshaTest {
    /*
     * Hand-worked example: maximise val_acc, minEpochs 1, reductionFactor 3, so rungs sit at
     * epochs 1, 3, 9. At a rung with c values so far (the new one included) the top
     * max(1, floor(c / 3)) go on; ties go on.
     *
     *  report          rung values so far (best first)          keep  threshold  verdict
     *  A e1 0.50       r0: .50                                    1    .50        go on
     *  B e1 0.60       r0: .60 .50                                1    .60        go on
     *  C e1 0.40       r0: .60 .50 .40                            1    .60        PRUNED (0.4 < 0.6)
     *  D e1 0.55       r0: .60 .55 .50 .40                        1    .60        PRUNED
     *  E e1 0.70       r0: .70 .60 .55 .50 .40                    1    .70        go on
     *  F e1 0.65       r0: .70 .65 .60 .55 .50 .40                2    .65        go on
     *  A e2 0.52       (epoch 2 is no rung)                                        go on
     *  A e3 0.58       r1: .58                                    1    .58        go on
     *  B e3 0.66       r1: .66 .58                                1    .66        go on
     *  E e3 0.64       r1: .66 .64 .58                            1    .66        PRUNED (0.64 < 0.66)
     *  F e3 0.75       r1: .75 .66 .64 .58                        1    .75        go on
     *  G e1 0.30       r0: .70 .65 .60 .55 .50 .40 .30            2    .65        PRUNED
     *  H e1 0.68       r0: .70 .68 .65 ... (8 values)             2    .68        go on
     *  I e1 0.66       r0: .70 .68 .66 .65 ... (9 values)         3    .66        go on (tie)
     *  J e4 0.90       passes r0 and r1 in one report:
     *                  r0: .90 .70 .68 ... (10 values)            3    .70        go on
     *                  r1: .90 .75 .66 .64 .58                    1    .90        go on
     *  K e1 NaN        a non-finite metric                                         PRUNED
     *  C e3 0.99       already pruned: the same verdict again                      PRUNED
     *  A e9 0.61       r2: .61                                    1    .61        go on
     *
     * So exactly C, D, E, G and K are pruned.
     */
    @Test
    void asha_prunes_exactly_the_trials_of_the_hand_worked_example() {
        Asha asha = new Asha("val_acc", Goal.MAX, 1, 3);
        assertEquals(List.of(1L, 3L, 9L), List.of(asha.rungEpoch(0), asha.rungEpoch(1), asha.rungEpoch(2)));
        Object[][] reports = {
                {"A", 1, 0.50}, {"B", 1, 0.60}, {"C", 1, 0.40}, {"D", 1, 0.55}, {"E", 1, 0.70}, {"F", 1, 0.65},
                {"A", 2, 0.52}, {"A", 3, 0.58}, {"B", 3, 0.66}, {"E", 3, 0.64}, {"F", 3, 0.75},
                {"G", 1, 0.30}, {"H", 1, 0.68}, {"I", 1, 0.66}, {"J", 4, 0.90}, {"K", 1, Double.NaN},
                {"C", 3, 0.99}, {"A", 9, 0.61}};
        Map<String, String> pruned = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Object[] r : reports) {
            Decision d = asha.report((String) r[0], (Integer) r[1], (Double) r[2]);
            if (d.stop()) {
                pruned.putIfAbsent((String) r[0], d.reason());
                order.add((String) r[0]);
            } else {
                assertEquals("", d.reason());
            }
        }
        assertEquals(List.of("C", "D", "E", "G", "K"), List.copyOf(pruned.keySet()));
        assertEquals(List.of("C", "D", "E", "G", "K", "C"), order, "a pruned trial stays pruned");
        assertEquals("pruned at rung 0 (epoch 1): val_acc 0.4 < 0.6, the top 1/3 threshold (1 of 3 trials at this rung go on)", pruned.get("C"));
        assertEquals("pruned at rung 1 (epoch 3): val_acc 0.64 < 0.66, the top 1/3 threshold (1 of 3 trials at this rung go on)", pruned.get("E"));
        assertEquals("pruned at rung 0 (epoch 1): val_acc 0.3 < 0.65, the top 1/3 threshold (2 of 7 trials at this rung go on)", pruned.get("G"));
        assertEquals("pruned at rung 0 (epoch 1): val_acc is NaN", pruned.get("K"));
    }

    @Test
    void a_minimised_metric_prunes_the_larger_values() {
        Asha asha = new Asha("val_loss", Goal.MIN, 2, 2); // rungs at 2, 4, 8
        assertFalse(asha.report("a", 1, 9.0).stop(), "epoch 1 is before the first rung");
        assertFalse(asha.report("a", 2, 1.0).stop());
        Decision b = asha.report("b", 2, 1.5);
        assertTrue(b.stop());
        assertEquals("pruned at rung 0 (epoch 2): val_loss 1.5 > 1, the top 1/2 threshold (1 of 2 trials at this rung go on)", b.reason());
        assertFalse(asha.report("c", 2, 0.5).stop(), "3 values keep 1: 0.5 is the best");
        assertFalse(EarlyStop.none().report("x", 1, Double.NaN).stop());
    }
}
