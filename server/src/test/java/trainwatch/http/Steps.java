package trainwatch.http;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Checks that a list of steps is exactly from, from+1, ..., to-1, with a short message (not the whole list) when it is not. */
final class Steps {
    private Steps() {}

    static void assertExactly(long from, long toExclusive, List<Long> steps, String what) {
        long expected = from;
        for (int i = 0; i < steps.size(); i++, expected++) {
            long got = steps.get(i);
            if (got != expected) {
                String around = steps.subList(Math.max(0, i - 3), Math.min(steps.size(), i + 4)).toString();
                fail(what + ": at index " + i + " expected step " + expected + " but got " + got + " (" + (got < expected ? "duplicate" : "gap")
                        + "; around: " + around + ", " + steps.size() + " steps in all)");
            }
        }
        if (expected != toExclusive) fail(what + ": ends at step " + (expected - 1) + ", expected the last to be " + (toExclusive - 1));
    }
}
