package trainwatch.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;

class SeriesDownsamplingTest {
    @TempDir
    Path root;

    /** Dense "loss", sparse "val_acc", "wild" full of NaN/Inf; repeated steps and big gaps between steps. */
    static Map<String, List<BruteForce.Point>> writeRandomRun(RunWriter w, Random rnd, long steps, long startStep) {
        Map<String, List<BruteForce.Point>> truth = new HashMap<>();
        long step = startStep;
        for (long i = 0; i < steps; i++) {
            int r = rnd.nextInt(1000);
            step += r < 5 ? 0 : r < 10 ? 64 + rnd.nextInt(20_000) : 1;
            List<String> tags = new ArrayList<>();
            List<Double> vals = new ArrayList<>();
            tags.add("loss");
            vals.add(rnd.nextGaussian());
            if (rnd.nextInt(40) == 0) {
                tags.add("val_acc");
                vals.add(rnd.nextDouble());
            }
            if (rnd.nextInt(3) == 0) {
                tags.add("wild");
                int k = rnd.nextInt(20);
                vals.add(k == 0 ? Double.NaN : k == 1 ? Double.POSITIVE_INFINITY : k == 2 ? Double.NEGATIVE_INFINITY : rnd.nextGaussian() * 1e6);
            }
            double[] v = vals.stream().mapToDouble(Double::doubleValue).toArray();
            w.scalars(step, tags.toArray(new String[0]), v);
            for (int t = 0; t < tags.size(); t++) truth.computeIfAbsent(tags.get(t), x -> new ArrayList<>()).add(new BruteForce.Point(step, v[t]));
            if (rnd.nextInt(500) == 0) w.flush();
        }
        return truth;
    }

    static void compareRandomQueries(RunReader r, Map<String, List<BruteForce.Point>> truth, Random rnd, int queries, String when) {
        long maxStep = 0;
        for (List<BruteForce.Point> ps : truth.values()) maxStep = Math.max(maxStep, ps.get(ps.size() - 1).step());
        for (int q = 0; q < queries; q++) {
            String tag = List.of("loss", "val_acc", "wild").get(q % 3);
            int points = List.of(1, 2, 7, 100, 1000, 5000).get(rnd.nextInt(6));
            long from, to;
            switch (rnd.nextInt(4)) {
                case 0 -> { from = Long.MIN_VALUE; to = Long.MAX_VALUE; }
                case 1 -> { from = (long) (rnd.nextDouble() * maxStep); to = from + rnd.nextInt(50_000); }
                case 2 -> { from = (long) (rnd.nextDouble() * maxStep); to = from + rnd.nextInt(300); }
                default -> { from = -5 + rnd.nextInt(100); to = maxStep + rnd.nextInt(3) - 1; }
            }
            Series want = BruteForce.series(tag, truth.get(tag), points, from, to);
            Series got = r.series(tag, points, from, to);
            BruteForce.assertSame(want, got, when + " " + tag + " points=" + points + " [" + from + ", " + to + "]");
        }
    }

    @Test
    void buckets_match_a_brute_force_computation_over_random_data_and_sub_ranges() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("ds", "{}", RunStatus.QUEUED, "");
        Random rnd = new Random(7);
        try (RunWriter w = store.openWriter("ds"); RunReader r = store.reader("ds")) {
            Map<String, List<BruteForce.Point>> truth = writeRandomRun(w, rnd, 60_000, 0);
            w.flush();
            compareRandomQueries(r, truth, rnd, 300, "while the writer is open");
            w.close();
            compareRandomQueries(r, truth, rnd, 100, "after close");
            try (RunReader fresh = store.reader("ds")) {
                compareRandomQueries(fresh, truth, rnd, 100, "fresh reader");
            }
            try (RunWriter again = store.openWriter("ds")) {
                long last = truth.get("loss").get(truth.get("loss").size() - 1).step();
                Map<String, List<BruteForce.Point>> more = writeRandomRun(again, rnd, 10_000, last);
                more.forEach((k, v) -> truth.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                again.flush();
                compareRandomQueries(r, truth, rnd, 150, "after reopen and append");
            }
        }
    }

    @Test
    void a_huge_jump_between_steps_is_answered_like_any_other_gap() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("jump", "{}", RunStatus.QUEUED, "");
        List<BruteForce.Point> truth = new ArrayList<>();
        try (RunWriter w = store.openWriter("jump"); RunReader r = store.reader("jump")) {
            for (long base : new long[] {0, 1_000_000_000_000_000L, 4_000_000_000_000_000L}) {
                for (long s = base; s < base + 5_000; s++) {
                    w.scalars(s, new String[] {"loss"}, new double[] {s % 10});
                    truth.add(new BruteForce.Point(s, s % 10));
                }
            }
            w.flush();
            for (int points : new int[] {1, 10, 1000, 20_000})
                BruteForce.assertSame(BruteForce.series("loss", truth, points, 0, Long.MAX_VALUE), r.series("loss", points, Long.MIN_VALUE, Long.MAX_VALUE),
                        "points=" + points);
            BruteForce.assertSame(BruteForce.series("loss", truth, 100, 4_000, 1_000_000_000_000_100L),
                    r.series("loss", 100, 4_000, 1_000_000_000_000_100L), "across the jump");
        }
    }
}
